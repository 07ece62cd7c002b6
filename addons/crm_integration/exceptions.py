# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class ApiError(UserError):
    """An integrator API refusal with a stable code.

    XML-RPC carries the number as the fault code, JSON-RPC the symbol as
    the error's description."""
    numbers = {
        'invalid_argument': 4001,
        'too_large': 4013,
        'access_denied': 4030,
        'not_found': 4040,
        'conflict': 4090,
        'module_inactive': 4220,
        }

    def __init__(self, symbol, message):
        super().__init__(message, symbol)
        self.symbol = symbol
        self.code = self.numbers[symbol]


class IntegrationSystemError(ValidationError):
    pass


class MappingError(ValidationError):
    pass


class ImportFileError(UserError):
    pass


class PropertyError(ValidationError):
    pass


class RowError(UserError):
    "A row of an external system refused, with the reason"
