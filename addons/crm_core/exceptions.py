# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model.exceptions import ValidationError


class LifecycleError(ValidationError):
    pass


class BudgetRangeError(ValidationError):
    pass


class ContactPersonError(ValidationError):
    pass


class PurchaseError(ValidationError):
    pass
