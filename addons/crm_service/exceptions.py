# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class CalendarError(ValidationError):
    pass


class SLAPolicyError(ValidationError):
    pass


class TicketCloseError(UserError):
    pass


class TicketReopenError(UserError):
    pass


class TicketTakenError(UserError):
    pass


class SurveyError(ValidationError):
    pass


class VisitOverlapError(ValidationError):
    pass


class CampaignError(UserError):
    pass
