"""assemblies, targets, invitations, registrations, selection runs, members

Revision ID: 0008_assembly
Revises: 0007_content
Create Date: 2026-11-23 14:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_assembly"
down_revision = "0007_content"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assembly',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('places', sa.JSON(), nullable=False),
    sa.Column('panel_size', sa.Integer(), nullable=False),
    sa.Column('reserves', sa.Integer(), nullable=False),
    sa.Column('honorarium', sa.String(length=300), nullable=False),
    sa.Column('expenses', sa.String(length=300), nullable=False),
    sa.Column('registration_opens', sa.Date(), nullable=False),
    sa.Column('registration_closes', sa.Date(), nullable=False),
    sa.Column('open_registration', sa.Boolean(), nullable=False),
    sa.Column('retention_until', sa.Date(), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('prefer_not_allowed', sa.JSON(), nullable=False),
    sa.Column('attitude_questions', sa.JSON(), nullable=False),
    sa.Column('tolerance', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('transparent_panels', sa.Integer(), nullable=True),
    sa.Column('aggregate_counts', sa.JSON(), nullable=False),
    sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_assembly_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly')),
    sa.UniqueConstraint('slug', name=op.f('uq_assembly_slug'))
    )
    op.create_table('assembly_invitation_draw',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('seed', sa.String(length=40), nullable=False),
    sa.Column('requested', sa.Integer(), nullable=False),
    sa.Column('deprived_share', sa.Integer(), nullable=False),
    sa.Column('addresses_in_file', sa.Integer(), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('drawn_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assembly.id'], name=op.f('fk_assembly_invitation_draw_assembly_id_assembly'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['user_account.id'], name=op.f('fk_assembly_invitation_draw_drawn_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_invitation_draw'))
    )
    op.create_index(op.f('ix_assembly_invitation_draw_assembly_id'), 'assembly_invitation_draw', ['assembly_id'], unique=False)
    op.create_table('assembly_selection_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('engine_version', sa.String(length=80), nullable=False),
    sa.Column('seed', sa.String(length=40), nullable=False),
    sa.Column('targets', sa.JSON(), nullable=False),
    sa.Column('pool', sa.JSON(), nullable=False),
    sa.Column('panel', sa.JSON(), nullable=False),
    sa.Column('reserves', sa.JSON(), nullable=False),
    sa.Column('probabilities', sa.JSON(), nullable=False),
    sa.Column('fairness', sa.JSON(), nullable=False),
    sa.Column('diagnosis', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('transparent', sa.JSON(), nullable=False),
    sa.Column('public_number', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('replaces', sa.JSON(), nullable=False),
    sa.Column('run_by_id', sa.Integer(), nullable=True),
    sa.Column('job_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assembly_id'], ['assembly.id'], name=op.f('fk_assembly_selection_run_assembly_id_assembly'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_by_id'], ['user_account.id'], name=op.f('fk_assembly_selection_run_run_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_selection_run'))
    )
    op.create_index(op.f('ix_assembly_selection_run_assembly_id'), 'assembly_selection_run', ['assembly_id'], unique=False)
    op.create_table('assembly_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assembly.id'], name=op.f('fk_assembly_session_assembly_id_assembly'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_session'))
    )
    op.create_index(op.f('ix_assembly_session_assembly_id'), 'assembly_session', ['assembly_id'], unique=False)
    op.create_table('assembly_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=40), nullable=False),
    sa.Column('min_seats', sa.Integer(), nullable=False),
    sa.Column('max_seats', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assembly_id'], ['assembly.id'], name=op.f('fk_assembly_target_assembly_id_assembly'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_target')),
    sa.UniqueConstraint('assembly_id', 'category', 'value', name=op.f('uq_assembly_target_assembly_id'))
    )
    op.create_index(op.f('ix_assembly_target_assembly_id'), 'assembly_target', ['assembly_id'], unique=False)
    op.create_table('assembly_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('postcode', sa.String(length=10), nullable=True),
    sa.Column('deprivation_quintile', sa.String(length=2), nullable=True),
    sa.Column('from_deprived_share', sa.Boolean(), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assembly_id'], ['assembly.id'], name=op.f('fk_assembly_invitation_assembly_id_assembly'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['draw_id'], ['assembly_invitation_draw.id'], name=op.f('fk_assembly_invitation_draw_id_assembly_invitation_draw'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_invitation')),
    sa.UniqueConstraint('code', name=op.f('uq_assembly_invitation_code'))
    )
    op.create_index(op.f('ix_assembly_invitation_assembly_id'), 'assembly_invitation', ['assembly_id'], unique=False)
    op.create_index(op.f('ix_assembly_invitation_draw_id'), 'assembly_invitation', ['draw_id'], unique=False)
    op.create_table('assembly_registrant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('ref', sa.String(length=32), nullable=False),
    sa.Column('household_key', sa.String(length=64), nullable=True),
    sa.Column('by_phone', sa.Boolean(), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assembly_id'], ['assembly.id'], name=op.f('fk_assembly_registrant_assembly_id_assembly'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invitation_id'], ['assembly_invitation.id'], name=op.f('fk_assembly_registrant_invitation_id_assembly_invitation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registered_by_id'], ['user_account.id'], name=op.f('fk_assembly_registrant_registered_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_registrant')),
    sa.UniqueConstraint('invitation_id', name=op.f('uq_assembly_registrant_invitation_id')),
    sa.UniqueConstraint('ref', name=op.f('uq_assembly_registrant_ref'))
    )
    op.create_index(op.f('ix_assembly_registrant_assembly_id'), 'assembly_registrant', ['assembly_id'], unique=False)
    op.create_index(op.f('ix_assembly_registrant_household_key'), 'assembly_registrant', ['household_key'], unique=False)
    op.create_table('assembly_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registrant_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('access_needs', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['registrant_id'], ['assembly_registrant.id'], name=op.f('fk_assembly_contact_registrant_id_assembly_registrant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_contact')),
    sa.UniqueConstraint('registrant_id', name=op.f('uq_assembly_contact_registrant_id'))
    )
    op.create_index(op.f('ix_assembly_contact_email'), 'assembly_contact', ['email'], unique=False)
    op.create_table('assembly_demographics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registrant_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['registrant_id'], ['assembly_registrant.id'], name=op.f('fk_assembly_demographics_registrant_id_assembly_registrant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_demographics')),
    sa.UniqueConstraint('registrant_id', name=op.f('uq_assembly_demographics_registrant_id'))
    )
    op.create_table('assembly_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=False),
    sa.Column('registrant_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('response', sa.String(length=20), nullable=False),
    sa.Column('response_via', sa.String(length=20), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('honorarium_pence', sa.Integer(), nullable=False),
    sa.Column('expenses_pence', sa.Integer(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['assembly_id'], ['assembly.id'], name=op.f('fk_assembly_member_assembly_id_assembly'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registrant_id'], ['assembly_registrant.id'], name=op.f('fk_assembly_member_registrant_id_assembly_registrant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['assembly_selection_run.id'], name=op.f('fk_assembly_member_run_id_assembly_selection_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_member')),
    sa.UniqueConstraint('assembly_id', 'registrant_id', name=op.f('uq_assembly_member_assembly_id'))
    )
    op.create_index(op.f('ix_assembly_member_assembly_id'), 'assembly_member', ['assembly_id'], unique=False)
    op.create_index(op.f('ix_assembly_member_registrant_id'), 'assembly_member', ['registrant_id'], unique=False)
    op.create_table('assembly_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['assembly_member.id'], name=op.f('fk_assembly_attendance_member_id_assembly_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['assembly_session.id'], name=op.f('fk_assembly_attendance_session_id_assembly_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_attendance')),
    sa.UniqueConstraint('member_id', 'session_id', name=op.f('uq_assembly_attendance_member_id'))
    )
    op.create_index(op.f('ix_assembly_attendance_member_id'), 'assembly_attendance', ['member_id'], unique=False)


def downgrade() -> None:
    op.drop_table('assembly_attendance')
    op.drop_table('assembly_member')
    op.drop_table('assembly_demographics')
    op.drop_table('assembly_contact')
    op.drop_table('assembly_registrant')
    op.drop_table('assembly_invitation')
    op.drop_table('assembly_target')
    op.drop_table('assembly_session')
    op.drop_table('assembly_selection_run')
    op.drop_table('assembly_invitation_draw')
    op.drop_table('assembly')
