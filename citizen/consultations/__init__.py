"""Consultations: builder, response flow, save and resume, paper entry, results, you said/we did."""
