# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields, sequence_ordered
from trytond.pyson import Eval

from .exceptions import ContactPersonError


class ContactPerson(sequence_ordered(), ModelSQL, ModelView):
    __name__ = 'crm.contact_person'
    __string__ = "Contact Person"
    organisation = fields.Many2One(
        'party.party', "Organisation", required=True, ondelete='CASCADE',
        domain=[('customer_type', '=', 'organisation')])
    person = fields.Many2One(
        'party.party', "Person", required=True, ondelete='CASCADE',
        domain=[
            ('customer_type', '=', 'person'),
            ('id', '!=', Eval('organisation', -1)),
            ],
        help="The person is a customer record of their own, with their own "
        "phones and e-mails.")
    role = fields.Char("Role", help="E.g. purchasing manager, owner.")
    phone = fields.Function(fields.Char("Phone"), 'get_person_contact')
    mobile = fields.Function(fields.Char("Mobile"), 'get_person_contact')
    email = fields.Function(fields.Char("E-mail"), 'get_person_contact')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.organisation, Index.Equality())),
                Index(t, (t.person, Index.Equality())),
                })
        cls.__access__.add('organisation')

    def get_rec_name(self, name):
        if self.role:
            return f'{self.person.rec_name} ({self.role})'
        return self.person.rec_name

    def get_person_contact(self, name):
        # party.party has phone, mobile and email function fields.
        return getattr(self.person, name)

    @classmethod
    def validate_fields(cls, contacts, field_names):
        super().validate_fields(contacts, field_names)
        for contact in contacts:
            if contact.organisation == contact.person:
                raise ContactPersonError(gettext(
                        'crm_core.msg_contact_person_self',
                        party=contact.person.rec_name))
