"""organisation profiles, pledges, actions, progress updates, example actions

Revision ID: 0006_pledges
Revises: 0005_exports
Create Date: 2026-11-23 14:10:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006_pledges"
down_revision = "0005_exports"
branch_labels = None
depends_on = None

# The example actions a new installation starts with (English; organisers add other languages
# and more examples). A frozen copy of citizen.pledges.catalogue.DEFAULT_CATALOGUE.
DEFAULT_CATALOGUE = (
    ('real-living-wage', 'wider_determinants', 'workforce',
     'Pay the real living wage',
     'Pay everyone who works for us, including contractors, at least the real living wage.',
     'Everyone paid at least the real living wage by the due date'),
    ('local-hiring', 'wider_determinants', 'community',
     'Hire locally and offer apprenticeships',
     'Advertise jobs locally and offer apprenticeships to people from areas with the poorest health.',
     '5 apprentices a year from local postcodes'),
    ('carer-friendly', 'wider_determinants', 'workforce',
     'Be a carer-friendly employer',
     "Give staff who care for someone flexible hours and paid carer's leave.",
     "A carer's policy agreed and shared with all staff"),
    ('screening-time', 'integrated_care', 'workforce',
     'Paid time off for screening and vaccination',
     'Let staff go to health checks, cancer screening and vaccinations in paid time.',
     'Policy in place; staff told about it twice a year'),
    ('healthy-food', 'health_behaviours', 'workforce',
     'Healthy food at work',
     'Offer healthy, affordable food and free drinking water at work.',
     'Half of the food on offer meets healthy eating guidance'),
    ('mental-wellbeing', 'health_behaviours', 'workforce',
     'Support mental wellbeing',
     'Train mental health first aiders and give staff access to support.',
     'One trained mental health first aider for every 50 staff'),
    ('volunteering-time', 'places_communities', 'both',
     'Give staff time to volunteer',
     'Give each member of staff paid time to volunteer with local groups.',
     'Two paid volunteering days a year for every member of staff'),
    ('social-enterprise', 'places_communities', 'community',
     'Buy from local social enterprises',
     'Buy goods and services from local social enterprises and small firms.',
     '10% of what we spend goes to local social enterprises'),
)

TABLES = (
    "organisation_profile",
    "organisation_place",
    "organisation_invitation",
    "organisation_claim",
    "pledge_catalogue_action",
    "pledge_catalogue_text",
    "pledge",
    "pledge_accreditation",
    "pledge_action",
    "pledge_update",
    "pledge_reminder",
)


def upgrade() -> None:
    op.create_table('organisation_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('size_band', sa.String(length=10), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_organisation_profile_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_profile')),
    sa.UniqueConstraint('organisation_id', name=op.f('uq_organisation_profile_organisation_id'))
    )

    op.create_table('organisation_place',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_organisation_place_place_id_place'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['organisation_profile.id'], name=op.f('fk_organisation_place_profile_id_organisation_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_place')),
    sa.UniqueConstraint('profile_id', 'place_id', name=op.f('uq_organisation_place_profile_id'))
    )
    with op.batch_alter_table('organisation_place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_place_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_place_profile_id'), ['profile_id'], unique=False)

    op.create_table('organisation_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user_account.id'], name=op.f('fk_organisation_invitation_invited_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_organisation_invitation_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_organisation_invitation_token_hash'))
    )
    with op.batch_alter_table('organisation_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_invitation_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('organisation_claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('job_title', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_organisation_claim_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_organisation_claim_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_organisation_claim_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_claim'))
    )
    with op.batch_alter_table('organisation_claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_claim_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_claim_user_id'), ['user_id'], unique=False)

    op.create_table('pledge_catalogue_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('pillar', sa.String(length=40), nullable=False),
    sa.Column('beneficiaries', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_catalogue_action')),
    sa.UniqueConstraint('code', name=op.f('uq_pledge_catalogue_action_code'))
    )
    with op.batch_alter_table('pledge_catalogue_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_catalogue_action_pillar'), ['pillar'], unique=False)

    op.create_table('pledge_catalogue_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('target_example', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['pledge_catalogue_action.id'], name=op.f('fk_pledge_catalogue_text_action_id_pledge_catalogue_action'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_catalogue_text')),
    sa.UniqueConstraint('action_id', 'locale', name=op.f('uq_pledge_catalogue_text_action_id'))
    )
    with op.batch_alter_table('pledge_catalogue_text', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_catalogue_text_action_id'), ['action_id'], unique=False)

    op.create_table('pledge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sponsor_name', sa.String(length=120), nullable=False),
    sa.Column('sponsor_role', sa.String(length=120), nullable=False),
    sa.Column('consent_public', sa.Boolean(), nullable=False),
    sa.Column('review_comments', sa.Text(), nullable=True),
    sa.Column('public_text', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_pledge_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_pledge_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge'))
    )
    with op.batch_alter_table('pledge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_status'), ['status'], unique=False)

    op.create_table('pledge_accreditation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pledge_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('level', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['pledge_id'], ['pledge.id'], name=op.f('fk_pledge_accreditation_pledge_id_pledge'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_accreditation')),
    sa.UniqueConstraint('pledge_id', 'code', name=op.f('uq_pledge_accreditation_pledge_id'))
    )
    with op.batch_alter_table('pledge_accreditation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_accreditation_pledge_id'), ['pledge_id'], unique=False)

    op.create_table('pledge_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pledge_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('pillar', sa.String(length=40), nullable=False),
    sa.Column('beneficiaries', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('target', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('catalogue_action_id', sa.Integer(), nullable=True),
    sa.Column('public_description', sa.Text(), nullable=True),
    sa.Column('public_target', sa.Text(), nullable=True),
    sa.Column('progress_status', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['catalogue_action_id'], ['pledge_catalogue_action.id'], name=op.f('fk_pledge_action_catalogue_action_id_pledge_catalogue_action'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pledge_id'], ['pledge.id'], name=op.f('fk_pledge_action_pledge_id_pledge'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_action'))
    )
    with op.batch_alter_table('pledge_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_action_pillar'), ['pillar'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_action_pledge_id'), ['pledge_id'], unique=False)

    op.create_table('pledge_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('evidence_url', sa.String(length=500), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('review_comments', sa.Text(), nullable=True),
    sa.Column('public_text', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['pledge_action.id'], name=op.f('fk_pledge_update_action_id_pledge_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_pledge_update_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_update'))
    )
    with op.batch_alter_table('pledge_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_update_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_update_state'), ['state'], unique=False)

    op.create_table('pledge_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('pledge_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pledge_id'], ['pledge.id'], name=op.f('fk_pledge_reminder_pledge_id_pledge'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_reminder')),
    sa.UniqueConstraint('key', name=op.f('uq_pledge_reminder_key'))
    )
    with op.batch_alter_table('pledge_reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_reminder_pledge_id'), ['pledge_id'], unique=False)
    _seed_catalogue()


def _seed_catalogue() -> None:
    actions = sa.table(
        "pledge_catalogue_action", sa.column("id", sa.Integer), sa.column("code", sa.String),
        sa.column("pillar", sa.String), sa.column("beneficiaries", sa.String),
        sa.column("position", sa.Integer), sa.column("active", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    texts = sa.table(
        "pledge_catalogue_text", sa.column("action_id", sa.Integer), sa.column("locale", sa.String),
        sa.column("title", sa.String), sa.column("description", sa.Text),
        sa.column("target_example", sa.String),
    )
    bind = op.get_bind()
    now = datetime.now(UTC)
    for position, (code, pillar, who, title, description, target) in enumerate(DEFAULT_CATALOGUE, 1):
        bind.execute(actions.insert().values(code=code, pillar=pillar, beneficiaries=who,
                                             position=position * 10, active=True, created_at=now))
        action_id = bind.execute(sa.select(actions.c.id).where(actions.c.code == code)).scalar_one()
        bind.execute(texts.insert().values(action_id=action_id, locale="en", title=title,
                                           description=description, target_example=target))


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
