# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class WeightError(ValidationError):
    pass


class TargetError(ValidationError):
    pass


class IndicatorSourceError(ValidationError):
    pass


class CampaignError(UserError):
    pass


class AssessmentError(UserError):
    pass
