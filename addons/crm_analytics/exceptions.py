# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class RunParameterError(ValidationError):
    pass


class RfmMappingError(ValidationError):
    pass


class EmptyPeriodError(UserError):
    pass


class CampaignError(UserError):
    pass
