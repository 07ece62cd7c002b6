# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import SurveyError


class Survey(ModelSQL, ModelView):
    __name__ = 'crm.ticket.survey'
    __string__ = "Satisfaction Survey"
    ticket = fields.Many2One(
        'crm.ticket', "Ticket", required=True, ondelete='CASCADE')
    agent = fields.Many2One(
        'crm.service.agent', "Agent", readonly=True, ondelete='SET NULL')
    date = fields.DateTime("Date", required=True, readonly=True)
    score = fields.Integer("Score", required=True, help="1 (bad) to 5.")
    comment = fields.Text("Comment")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('ticket')
        cls._sql_indexes.add(
            Index(t, (t.agent, Index.Equality()), (t.date, Index.Range())))

    @staticmethod
    def default_date():
        return dt.datetime.now()

    @classmethod
    def validate_fields(cls, surveys, field_names):
        super().validate_fields(surveys, field_names)
        for survey in surveys:
            if not 1 <= survey.score <= 5:
                raise SurveyError(gettext(
                        'crm_service.msg_survey_score',
                        ticket=survey.ticket.rec_name, score=survey.score))

    @classmethod
    def preprocess_values(cls, mode, values):
        Ticket = Pool().get('crm.ticket')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and values.get('ticket') and not values.get(
                'agent'):
            agent = Ticket(values['ticket']).agent
            values['agent'] = agent.id if agent else None
        return values

    @classmethod
    def on_modification(cls, mode, surveys, field_names=None):
        super().on_modification(mode, surveys, field_names=field_names)
        if mode == 'create':
            cls.follow_up_low_scores(surveys)

    @classmethod
    def follow_up_low_scores(cls, surveys):
        "A low score opens a follow-up for the centre's supervisors."
        pool = Pool()
        Configuration = pool.get('crm.service.configuration')
        Interaction = pool.get('crm.interaction')
        low = Configuration(1).low_score
        today = dt.date.today()
        interactions = []
        for survey in surveys:
            if survey.score > low:
                continue
            ticket = survey.ticket
            for supervisor in ticket.centre.supervisors:
                interactions.append(Interaction(
                        company=ticket.company, party=ticket.party,
                        channel='phone', direction='outbound',
                        employee=supervisor, follow_up_date=today,
                        subject=gettext(
                            'crm_service.msg_low_score_subject',
                            ticket=ticket.rec_name, score=survey.score),
                        notes=survey.comment, origin=ticket))
        with without_check_access():
            Interaction.save(interactions)


class RecordSurvey(Wizard):
    __name__ = 'crm.ticket.survey.record'
    start = StateView('crm.ticket.survey.record.start',
        'crm_service.survey_record_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Record", 'record_', 'tryton-ok', default=True),
            ])
    record_ = StateTransition()

    def transition_record_(self):
        Survey = Pool().get('crm.ticket.survey')
        Survey.create([{
                    'ticket': self.record.id,
                    'score': self.start.score,
                    'comment': self.start.comment,
                    }])
        return 'end'


class RecordSurveyStart(ModelView):
    __name__ = 'crm.ticket.survey.record.start'
    __string__ = "Record Satisfaction"
    score = fields.Selection([
            (1, "1 - Very Dissatisfied"),
            (2, "2 - Dissatisfied"),
            (3, "3 - Neutral"),
            (4, "4 - Satisfied"),
            (5, "5 - Very Satisfied"),
            ], "Score", required=True)
    comment = fields.Text("Comment")
