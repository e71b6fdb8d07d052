"""consultations, sections, questions, responses, answers, equality monitoring

Revision ID: 0003_consultations
Revises: 0002_accounts
Create Date: 2026-11-23 14:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_consultations"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('topic', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('anonymous_allowed', sa.Boolean(), nullable=False),
    sa.Column('post_moderated', sa.Boolean(), nullable=False),
    sa.Column('equality_monitoring', sa.Boolean(), nullable=False),
    sa.Column('contact', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome_published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_consultation_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation')),
    sa.UniqueConstraint('slug', name=op.f('uq_consultation_slug'))
    )
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_topic'), ['topic'], unique=False)

    op.create_table('consultation_place',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('place_slug', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_place_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_place')),
    sa.UniqueConstraint('consultation_id', 'place_slug', name=op.f('uq_consultation_place_consultation_id'))
    )
    with op.batch_alter_table('consultation_place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_place_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_place_place_slug'), ['place_slug'], unique=False)

    op.create_table('consultation_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=True),
    sa.Column('client_key_hash', sa.String(length=64), nullable=False),
    sa.Column('resume_token_hash', sa.String(length=64), nullable=True),
    sa.Column('resume_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('place_slug', sa.String(length=80), nullable=True),
    sa.Column('consent_contact', sa.Boolean(), nullable=False),
    sa.Column('consent_publish', sa.Boolean(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_response_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'], name=op.f('fk_consultation_response_entered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_consultation_response_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_response')),
    sa.UniqueConstraint('client_key_hash', name=op.f('uq_consultation_response_client_key_hash')),
    sa.UniqueConstraint('reference', name=op.f('uq_consultation_response_reference')),
    sa.UniqueConstraint('resume_token_hash', name=op.f('uq_consultation_response_resume_token_hash'))
    )
    with op.batch_alter_table('consultation_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_response_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index('ix_consultation_response_consultation_id_status', ['consultation_id', 'status', 'channel'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_response_place_slug'), ['place_slug'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_response_submitted_at'), ['submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_response_user_id'), ['user_id'], unique=False)

    op.create_table('consultation_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('intro', sa.JSON(), nullable=False),
    sa.Column('condition', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_section_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_section'))
    )
    with op.batch_alter_table('consultation_section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_section_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('consultation_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('privacy_notice', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_translation_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_translation')),
    sa.UniqueConstraint('consultation_id', 'locale', name=op.f('uq_consultation_translation_consultation_id'))
    )
    with op.batch_alter_table('consultation_translation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_translation_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('equality_monitoring_record',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('age_band', sa.String(length=40), nullable=True),
    sa.Column('sex', sa.String(length=40), nullable=True),
    sa.Column('gender_identity', sa.String(length=40), nullable=True),
    sa.Column('ethnic_group', sa.String(length=40), nullable=True),
    sa.Column('ethnic_group_detailed', sa.String(length=60), nullable=True),
    sa.Column('disability', sa.String(length=40), nullable=True),
    sa.Column('carer', sa.String(length=40), nullable=True),
    sa.Column('religion', sa.String(length=40), nullable=True),
    sa.Column('sexual_orientation', sa.String(length=40), nullable=True),
    sa.Column('postcode_district', sa.String(length=8), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_equality_monitoring_record_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_equality_monitoring_record'))
    )
    with op.batch_alter_table('equality_monitoring_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_equality_monitoring_record_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('consultation_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('text', sa.JSON(), nullable=False),
    sa.Column('help', sa.JSON(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('condition', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_question_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['consultation_section.id'], name=op.f('fk_consultation_question_section_id_consultation_section'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_question')),
    sa.UniqueConstraint('consultation_id', 'code', name=op.f('uq_consultation_question_consultation_id'))
    )
    with op.batch_alter_table('consultation_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_question_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_question_section_id'), ['section_id'], unique=False)

    op.create_table('consultation_respondent_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['consultation_response.id'], name=op.f('fk_consultation_respondent_contact_response_id_consultation_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_respondent_contact')),
    sa.UniqueConstraint('response_id', name=op.f('uq_consultation_respondent_contact_response_id'))
    )
    op.create_table('consultation_response_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user_account.id'], name=op.f('fk_consultation_response_change_changed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['response_id'], ['consultation_response.id'], name=op.f('fk_consultation_response_change_response_id_consultation_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_response_change'))
    )
    with op.batch_alter_table('consultation_response_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_response_change_response_id'), ['response_id'], unique=False)

    op.create_table('consultation_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('value_text', sa.Text(), nullable=True),
    sa.Column('value_json', sa.JSON(), nullable=True),
    sa.Column('value_number', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['question_id'], ['consultation_question.id'], name=op.f('fk_consultation_answer_question_id_consultation_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['consultation_response.id'], name=op.f('fk_consultation_answer_response_id_consultation_response'), ondelete='CASCADE'),
    sa.Column('value_code', sa.String(length=255), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_answer')),
    sa.UniqueConstraint('response_id', 'question_id', name=op.f('uq_consultation_answer_response_id'))
    )
    with op.batch_alter_table('consultation_answer', schema=None) as batch_op:
        batch_op.create_index('ix_consultation_answer_question_id_value_code', ['question_id', 'value_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_answer_response_id'), ['response_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('consultation_answer', schema=None) as batch_op:
        batch_op.drop_index('ix_consultation_answer_question_id_value_code')
        batch_op.drop_index(batch_op.f('ix_consultation_answer_response_id'))

    op.drop_table('consultation_answer')
    with op.batch_alter_table('consultation_response_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_response_change_response_id'))

    op.drop_table('consultation_response_change')
    op.drop_table('consultation_respondent_contact')
    with op.batch_alter_table('consultation_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_question_section_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_question_consultation_id'))

    op.drop_table('consultation_question')
    with op.batch_alter_table('equality_monitoring_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_equality_monitoring_record_consultation_id'))

    op.drop_table('equality_monitoring_record')
    with op.batch_alter_table('consultation_translation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_translation_consultation_id'))

    op.drop_table('consultation_translation')
    with op.batch_alter_table('consultation_section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_section_consultation_id'))

    op.drop_table('consultation_section')
    with op.batch_alter_table('consultation_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_response_user_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_response_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_consultation_response_place_slug'))
        batch_op.drop_index('ix_consultation_response_consultation_id_status')
        batch_op.drop_index(batch_op.f('ix_consultation_response_consultation_id'))

    op.drop_table('consultation_response')
    with op.batch_alter_table('consultation_place', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_place_place_slug'))
        batch_op.drop_index(batch_op.f('ix_consultation_place_consultation_id'))

    op.drop_table('consultation_place')
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_topic'))
        batch_op.drop_index(batch_op.f('ix_consultation_status'))
        batch_op.drop_index(batch_op.f('ix_consultation_created_by_id'))

    op.drop_table('consultation')
