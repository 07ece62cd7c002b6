# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The integrator API: a few stable calls over XML-RPC and JSON-RPC on
the model crm.api (docs/integration.md).  Each call checks that the user
is an integrator allowed for the system, validates every argument and
does all of its work or none (a refusal rolls the transaction back)."""
import datetime as dt
import functools
import types
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Model
from trytond.pool import Pool
from trytond.rpc import RPC
from trytond.transaction import Transaction

from trytond.modules.crm_core.common import CHANNELS, PURCHASE_CHANNELS
from trytond.modules.crm_core.engine.dedup import contact_key

from .engine import transform
from .engine.validate import Field, ValidationError, payload_size, validate
from .exceptions import ApiError
from .importer import Row, import_customers, linked_records
from .savepoint import create_sliced

MAX_REQUEST_BYTES = 1_000_000
MAX_PURCHASES = 1000

CUSTOMER = {
    'external_id': Field('str', required=True, max_length=64),
    'name': Field('str', required=True, max_length=120),
    'customer_type': Field(
        'str', choices=['person', 'organisation'], nullable=True),
    'mobile': Field('str', max_length=40, nullable=True),
    'phone': Field('str', max_length=40, nullable=True),
    'email': Field('str', max_length=120, nullable=True),
    'gender': Field('str', choices=['male', 'female'], nullable=True),
    'birth_date': Field('date', nullable=True),
    'occupation': Field('str', max_length=120, nullable=True),
    'id_number': Field('str', max_length=40, nullable=True),
    'wish_district': Field('str', max_length=60, nullable=True),
    'wish_budget_min': Field('decimal', min=0, nullable=True),
    'wish_budget_max': Field('decimal', min=0, nullable=True),
    'wish_area_min': Field('decimal', min=0, nullable=True),
    'wish_area_max': Field('decimal', min=0, nullable=True),
    'wish_rooms': Field('int', min=0, max=50, nullable=True),
    'value_tier': Field(
        'str', choices=['a', 'b', 'c', 'd'], nullable=True),
    'preferences': Field('str', max_length=4000, nullable=True),
    }
INTERACTION = {
    'external_id': Field('str', max_length=64, nullable=True),
    'customer': Field('str', required=True, max_length=64),
    'channel': Field(
        'str', required=True, choices=[c for c, _ in CHANNELS]),
    'direction': Field(
        'str', choices=['inbound', 'outbound'], nullable=True),
    'date': Field('datetime', nullable=True),
    'subject': Field('str', required=True, max_length=200),
    'notes': Field('str', max_length=10000, nullable=True),
    'outcome': Field('str', max_length=200, nullable=True),
    'follow_up_date': Field('date', nullable=True),
    }
PURCHASE = {
    'external_id': Field('str', required=True, max_length=64),
    'customer': Field('str', required=True, max_length=64),
    'date': Field('date', required=True),
    'product_code': Field('str', max_length=64, nullable=True),
    'description': Field('str', max_length=200, nullable=True),
    'quantity': Field('decimal', required=True, min=0),
    'amount': Field('decimal', required=True),
    'cost': Field('decimal', min=0, nullable=True),
    'channel': Field(
        'str', choices=[c for c, _ in PURCHASE_CHANNELS], nullable=True),
    'reference': Field('str', max_length=64, nullable=True),
    }
LOOKUP = {
    'id': Field('int', min=1, nullable=True),
    'code': Field('str', max_length=64, nullable=True),
    'external_id': Field('str', max_length=64, nullable=True),
    }
SEARCH = {
    'phone': Field('str', max_length=40, nullable=True),
    'email': Field('str', max_length=120, nullable=True),
    'code': Field('str', max_length=64, nullable=True),
    'name': Field('str', max_length=120, nullable=True),
    'limit': Field('int', min=1, max=100, nullable=True),
    }


def money(value):
    "Two decimals whatever the database kept"
    return value.quantize(Decimal('0.01')) if value is not None else None


def jsonable(value):
    "Dates as ISO strings, decimals as strings: the same in XML and JSON"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def user_language(func):
    """Answer in the user's language when the client sends no context
    (plain xmlrpc.client callers send {})"""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        transaction = Transaction()
        if not transaction.context.get('language'):
            user = Pool().get('res.user')(transaction.user)
            if user.language:
                with transaction.set_context(language=user.language.code):
                    return func(*args, **kwargs)
        return func(*args, **kwargs)
    return wrapper


class Api(Model):
    __name__ = 'crm.api'
    __string__ = "Integrator API"

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__rpc__.update({
                'upsert_customer': RPC(
                    readonly=False, decorator=user_language),
                'log_interaction': RPC(
                    readonly=False, decorator=user_language),
                'record_purchases': RPC(
                    readonly=False, decorator=user_language),
                'open_ticket': RPC(
                    readonly=False, decorator=user_language),
                'customer_card': RPC(decorator=user_language),
                'search_customers': RPC(decorator=user_language),
                'version': RPC(),
                })

    @classmethod
    def version(cls):
        "The API version: calls are added, never changed, within one"
        return '1.0'

    # -- access and arguments ------------------------------------------

    @classmethod
    def _system(cls, system_code):
        "The system the caller speaks for, once access is checked"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        System = pool.get('crm.integration.system')
        groups = set(User.get_groups())
        integrator = ModelData.get_id(
            'crm_integration', 'group_integrator')
        admin = ModelData.get_id(
            'crm_integration', 'group_integration_admin')
        if not groups & {integrator, admin}:
            raise ApiError('access_denied', gettext(
                    'crm_integration.msg_api_not_integrator'))
        if not isinstance(system_code, str):
            raise ApiError('invalid_argument', gettext(
                    'crm_integration.msg_api_system_unknown',
                    system=str(system_code)[:64]))
        with Transaction().set_context(_check_access=False):
            systems = System.search([('code', '=', system_code)], limit=1)
            if not systems:
                raise ApiError('not_found', gettext(
                        'crm_integration.msg_api_system_unknown',
                        system=system_code[:64]))
            system, = systems
            users = [u.id for u in system.api_users]
            if (users and Transaction().user not in users
                    and admin not in groups):
                raise ApiError('access_denied', gettext(
                        'crm_integration.msg_api_not_system_user',
                        system=system.rec_name))
        return system

    @classmethod
    def _validate(cls, payload, schema, name):
        if payload_size(payload) > MAX_REQUEST_BYTES:
            raise ApiError('too_large', gettext(
                    'crm_integration.msg_api_too_large',
                    limit=MAX_REQUEST_BYTES))
        if not isinstance(payload, dict):
            raise ApiError('invalid_argument', gettext(
                    'crm_integration.msg_api_not_object', argument=name))
        try:
            return validate(payload, schema, name)
        except ValidationError as e:
            raise ApiError('invalid_argument', '; '.join(
                    gettext('crm_integration.msg_api_argument',
                        path=path,
                        problem=gettext(
                            'crm_integration.msg_check_%s' % code,
                            **{k: str(v) for k, v in params.items()}))
                    for path, code, params in e.errors)) from None

    @classmethod
    def _as_root(cls, system):
        "The API itself is the access check: work without the user's"
        return Transaction().set_context(
            _check_access=False, company=system.company.id)

    @classmethod
    def _normalise_contacts(cls, values):
        for name, kind in [('mobile', 'phone'), ('phone', 'phone'),
                ('email', 'email')]:
            if values.get(name):
                try:
                    values[name] = transform.apply(kind, values[name])
                except transform.TransformError as e:
                    raise ApiError('invalid_argument', gettext(
                            'crm_integration.msg_api_argument',
                            path='customer.' + name,
                            problem=gettext(
                                'crm_integration.msg_problem_%s' % e.code)
                            )) from None
        return values

    @classmethod
    def _party(cls, system, lookup):
        "The customer named by id, CRM code or this system's external id"
        Party = Pool().get('party.party')
        if isinstance(lookup, str):
            lookup = {'external_id': lookup}
        lookup = cls._validate(lookup, LOOKUP, 'customer')
        party_id = None
        if lookup.get('id'):
            party_id = lookup['id']
        elif lookup.get('code'):
            found = Party.search([('code', '=', lookup['code'])], limit=1)
            party_id = found[0].id if found else None
        elif lookup.get('external_id'):
            party_id = linked_records(system, 'customer',
                [lookup['external_id']]).get(lookup['external_id'])
        if not party_id or not Party.search([('id', '=', party_id)]):
            raise ApiError('not_found', gettext(
                    'crm_integration.msg_api_customer_unknown',
                    customer=str(next(iter(lookup.values()), ''))[:64]))
        return Party(party_id)

    # -- calls ------------------------------------------------------------

    @classmethod
    def upsert_customer(cls, system_code, customer):
        """Create or update the customer the system knows as
        customer['external_id']; a new one is merged into the CRM customer
        with the same mobile, phone or e-mail.  Returns id, code and status
        (created, merged, updated or unchanged)."""
        system = cls._system(system_code)
        values = cls._normalise_contacts(
            cls._validate(customer, CUSTOMER, 'customer'))
        for name in ['wish_area_min', 'wish_area_max']:
            if values.get(name) is not None:
                values[name] = float(values[name])
        with cls._as_root(system):
            row = Row(0, customer, values)
            done, refused = import_customers(
                types.SimpleNamespace(system=system), [row])
            if refused:
                raise ApiError('conflict', refused[0][1])
            party_id = linked_records(
                system, 'customer', [row.external_id])[row.external_id]
            party = Pool().get('party.party')(party_id)
            status = next(iter(done.elements()), 'skipped')
            return {
                'id': party.id,
                'code': party.code,
                'status': 'unchanged' if status == 'skipped' else status,
                }

    @classmethod
    def log_interaction(cls, system_code, interaction):
        """Add an interaction to a customer's timeline; with an
        external_id the same interaction sent twice is stored once."""
        pool = Pool()
        Interaction = pool.get('crm.interaction')
        Link = pool.get('crm.integration.link')
        system = cls._system(system_code)
        values = cls._validate(interaction, INTERACTION, 'interaction')
        with cls._as_root(system):
            party = cls._party(system, values.pop('customer'))
            external_id = values.pop('external_id', None)
            if external_id:
                known = linked_records(
                    system, 'interaction', [external_id])
                if external_id in known:
                    return {'id': known[external_id],
                        'status': 'unchanged'}
            values.update(party=party.id, company=system.company.id)
            if values.get('date') is None:
                values['date'] = dt.datetime.now()
            values = {k: v for k, v in values.items() if v is not None}
            record, = Interaction.create([values])
            if external_id:
                Link.store(system, 'interaction', 'crm.interaction',
                    [(external_id, record.id, None)])
            return {'id': record.id, 'status': 'created'}

    @classmethod
    def record_purchases(cls, system_code, purchases):
        """Record purchase lines in bulk, by their external ids: a line
        sent again is updated or left unchanged.  All lines are stored or
        none."""
        pool = Pool()
        Purchase = pool.get('crm.purchase')
        Product = pool.get('product.product')
        system = cls._system(system_code)
        if not isinstance(purchases, list):
            raise ApiError('invalid_argument', gettext(
                    'crm_integration.msg_api_not_list',
                    argument='purchases'))
        if (len(purchases) > MAX_PURCHASES
                or payload_size(purchases) > MAX_REQUEST_BYTES):
            raise ApiError('too_large', gettext(
                    'crm_integration.msg_api_too_many',
                    limit=MAX_PURCHASES, size=MAX_REQUEST_BYTES))
        lines = [cls._validate(p, PURCHASE, 'purchases.%s' % i)
            for i, p in enumerate(purchases)]
        with cls._as_root(system):
            parties = linked_records(system, 'customer',
                {line['customer'] for line in lines})
            missing = sorted({line['customer'] for line in lines}
                - set(parties))
            if missing:
                raise ApiError('not_found', gettext(
                        'crm_integration.msg_api_customer_unknown',
                        customer=', '.join(missing[:10])))
            codes = {line['product_code'] for line in lines
                if line.get('product_code')}
            products = {p.code: p.id for p in Product.search(
                    [('code', 'in', list(codes))])}
            currency = system.company.currency.id
            wanted = {}
            for line in lines:
                external_id = '%s:%s' % (system.code, line['external_id'])
                product = products.get(line.get('product_code'))
                wanted[external_id] = {
                    'company': system.company.id,
                    'party': parties[line['customer']],
                    'date': line['date'],
                    'product': product,
                    'description': line.get('description') or (
                        None if product else line.get('product_code')),
                    'quantity': float(line['quantity']),
                    'amount': line['amount'].quantize(Decimal('0.01')),
                    'cost': (line['cost'].quantize(Decimal('0.01'))
                        if line.get('cost') is not None else None),
                    'currency': currency,
                    'channel': line.get('channel'),
                    'reference': line.get('reference'),
                    'external_id': external_id,
                    }
            existing = {p.external_id: p for p in Purchase.search(
                    [('company', '=', system.company.id),
                        ('external_id', 'in', list(wanted))])}
            to_create, args, unchanged = [], [], 0
            for external_id, values in wanted.items():
                current = existing.get(external_id)
                if current is None:
                    to_create.append(values)
                elif (current.party.id, current.date,
                        current.product and current.product.id,
                        current.quantity, current.amount, current.cost) != (
                        values['party'], values['date'], values['product'],
                        values['quantity'], values['amount'],
                        values['cost']):
                    args.extend([[current], values])
                else:
                    unchanged += 1
            create_sliced(Purchase, to_create)
            if args:
                Purchase.write(*args)
            return {'created': len(to_create), 'updated': len(args) // 2,
                'unchanged': unchanged}

    @classmethod
    def open_ticket(cls, system_code, ticket):
        "Open a service ticket (needs crm_service)"
        cls._system(system_code)
        raise ApiError('module_inactive', gettext(
                'crm_integration.msg_api_module_inactive',
                module='crm_service'))

    @classmethod
    def customer_card(cls, system_code, customer):
        """A customer's 360 card as plain data: profile, contacts,
        figures, recent interactions and purchases, recommended units."""
        system = cls._system(system_code)
        with cls._as_root(system):
            party = cls._party(system, customer)
            return jsonable(cls._card(system, party))

    @classmethod
    def _card(cls, system, party):
        pool = Pool()
        Interaction = pool.get('crm.interaction')
        Purchase = pool.get('crm.purchase')
        external = [l.external_id for l in
            pool.get('crm.integration.link').search([
                    ('system', '=', system.id),
                    ('record_type', '=', 'customer'),
                    ('model', '=', 'party.party'),
                    ('record_id', '=', party.id),
                    ])]
        interactions = Interaction.search(
            [('party', '=', party.id)], limit=10)
        purchases = Purchase.search([('party', '=', party.id)], limit=10)
        return {
            'id': party.id,
            'code': party.code,
            'external_ids': external,
            'name': party.name,
            'customer_type': party.customer_type,
            'lifecycle_stage': party.lifecycle_stage,
            'segment': party.segment.name if party.segment else None,
            'value_tier': party.value_tier,
            'owner': party.owner.rec_name if party.owner else None,
            'contacts': [{'type': m.type, 'value': m.value}
                for m in party.contact_mechanisms if m.active],
            'wishes': {
                'budget_min': money(party.wish_budget_min),
                'budget_max': money(party.wish_budget_max),
                'area_min': party.wish_area_min,
                'area_max': party.wish_area_max,
                'rooms': party.wish_rooms,
                'district': party.wish_district,
                },
            'figures': {
                'purchase_amount': money(party.purchase_amount),
                'purchase_count': party.purchase_count,
                'last_purchase_date': party.last_purchase_date,
                },
            'interactions': [{
                    'id': i.id, 'date': i.date, 'channel': i.channel,
                    'direction': i.direction, 'subject': i.subject,
                    'outcome': i.outcome} for i in interactions],
            'purchases': [{
                    'id': p.id, 'date': p.date,
                    'product': p.product.rec_name if p.product
                    else p.description,
                    'quantity': p.quantity, 'amount': money(p.amount),
                    'external_id': p.external_id} for p in purchases],
            'recommended_units': [{
                    'unit': m.property.rec_name, 'score': m.score,
                    'price': money(m.property.price),
                    'layout': m.property.layout,
                    } for m in party.recommended_units],
            }

    @classmethod
    def search_customers(cls, system_code, query):
        """Customers by phone, e-mail, CRM code or name (at most limit,
        20 by default): id, code, name and this system's external id."""
        Party = Pool().get('party.party')
        system = cls._system(system_code)
        query = cls._validate(query, SEARCH, 'query')
        limit = query.pop('limit', None) or 20
        if not any(query.values()):
            raise ApiError('invalid_argument', gettext(
                    'crm_integration.msg_api_search_empty'))
        domain = []
        if query.get('phone'):
            domain.append(('contact_mechanisms.dedup_key', '=',
                    contact_key('phone', query['phone'])))
        if query.get('email'):
            domain.append(('contact_mechanisms.dedup_key', '=',
                    contact_key('email', query['email'])))
        if query.get('code'):
            domain.append(('code', '=', query['code']))
        if query.get('name'):
            domain.append(('name', 'ilike', '%%%s%%' % query['name']))
        with cls._as_root(system):
            parties = Party.search(domain, limit=limit,
                order=[('id', 'ASC')])
            links = {}
            Link = Pool().get('crm.integration.link')
            for link in Link.search([
                        ('system', '=', system.id),
                        ('record_type', '=', 'customer'),
                        ('model', '=', 'party.party'),
                        ('record_id', 'in', [p.id for p in parties]),
                        ]):
                links[link.record_id] = link.external_id
            return [{'id': p.id, 'code': p.code, 'name': p.name,
                    'external_id': links.get(p.id)} for p in parties]
