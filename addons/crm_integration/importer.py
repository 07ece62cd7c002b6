# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Applying mapped rows of an external system to the CRM, a batch at a
time: customers (with dedup against crm_core's keys) and orders (into
the purchase history).  Each importer returns a Counter of created,
merged, updated and skipped rows and the refused rows with the reason."""
import datetime as dt
from collections import Counter
from decimal import Decimal

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction

from trytond.modules.crm_core.common import id_slices
from trytond.modules.crm_core.engine.dedup import contact_key

from . import bulk
from .engine import transform
from .exceptions import RowError
from .savepoint import apply_isolated, create_sliced

CONTACT_FIELDS = ('mobile', 'phone', 'email')


class Row:
    "One record of the external system: its number, raw and mapped values"
    __slots__ = ('number', 'raw', 'values', 'checksum')

    def __init__(self, number, raw, values):
        self.number = number
        self.raw = raw
        self.values = values
        self.checksum = transform.row_checksum(values)

    @property
    def external_id(self):
        return str(self.values.get('external_id') or '')


def unique_rows(rows, seen=None):
    """Keep the first row of an external id; refuse the later ones, also
    those of earlier batches of the same read (seen)"""
    seen = set() if seen is None else seen
    kept, refused = [], []
    for row in rows:
        if row.external_id in seen:
            refused.append((row, gettext(
                        'crm_integration.msg_row_duplicate_id',
                        external_id=row.external_id)))
        else:
            seen.add(row.external_id)
            kept.append(row)
    return kept, refused


def split_known(system, record_type, rows):
    """Rows unchanged since the last sync, changed (with their record id)
    and new"""
    Link = Pool().get('crm.integration.link')
    links = Link.lookup(system, record_type, [r.external_id for r in rows])
    same, changed, new = [], [], []
    for row in rows:
        link = links.get(row.external_id)
        if link is None:
            new.append(row)
        elif link[1] == row.checksum:
            same.append(row)
        else:
            changed.append((row, link[0]))
    return same, changed, new


def customer_keys(values):
    keys = []
    for name in CONTACT_FIELDS:
        key = contact_key(name, values.get(name))
        if key:
            keys.append(key)
    return keys


def party_values(values):
    return {k: v for k, v in values.items()
        if k not in CONTACT_FIELDS and k != 'external_id'}


def parties_by_key(keys):
    "The active party holding each dedup key (the oldest when several)"
    pool = Pool()
    Mechanism = pool.get('party.contact_mechanism')
    Party = pool.get('party.party')
    mechanism = Mechanism.__table__()
    party = Party.__table__()
    cursor = Transaction().connection.cursor()
    found = {}
    for sub_keys in id_slices(sorted(set(keys))):
        cursor.execute(*mechanism.join(party,
                condition=party.id == mechanism.party).select(
                mechanism.dedup_key, mechanism.party,
                where=mechanism.dedup_key.in_(sub_keys)
                & (mechanism.active == True)  # noqa: E712
                & (party.active == True),  # noqa: E712
                order_by=[mechanism.party.asc]))
        for key, party_id in cursor:
            found.setdefault(key, party_id)
    return found


def keys_of_parties(party_ids):
    Mechanism = Pool().get('party.contact_mechanism')
    mechanism = Mechanism.__table__()
    cursor = Transaction().connection.cursor()
    keys = {}
    for sub_ids in id_slices(sorted(set(party_ids))):
        cursor.execute(*mechanism.select(
                mechanism.party, mechanism.dedup_key,
                where=mechanism.party.in_(sub_ids)
                & (mechanism.dedup_key != None)))  # noqa: E711
        for party_id, key in cursor:
            keys.setdefault(party_id, set()).add(key)
    return keys


def new_mechanisms(values, known_keys):
    "Contact mechanisms of values whose key the party does not hold yet"
    result = []
    for name in CONTACT_FIELDS:
        value = values.get(name)
        key = contact_key(name, value)
        if key and key not in known_keys:
            known_keys.add(key)
            result.append({'type': name, 'value': value})
    return result


def import_customers(job, rows, seen=None):
    system = job.system
    rows, refused = unique_rows(rows, seen)
    same, changed, new = split_known(system, 'customer', rows)
    done = Counter(skipped=len(same))
    for batch, apply in [
            (changed, lambda b: _update_customers(system, b)),
            (new, lambda b: _create_customers(system, b))]:
        kept, refused_ = apply_isolated(batch, apply)
        done += kept
        refused += [(r[0] if isinstance(r, tuple) else r, m)
            for r, m in refused_]
    return done, refused


def _update_customers(system, changed):
    pool = Pool()
    Party = pool.get('party.party')
    Mechanism = pool.get('party.contact_mechanism')
    Link = pool.get('crm.integration.link')
    keys = keys_of_parties([pid for _, pid in changed])
    args, mechanisms = [], []
    for row, party_id in changed:
        values = party_values(row.values)
        if values:
            args.extend([[Party(party_id)], values])
        for mechanism in new_mechanisms(
                row.values, keys.setdefault(party_id, set())):
            mechanisms.append(dict(mechanism, party=party_id))
    if args:
        Party.write(*args)
    if mechanisms:
        create_sliced(Mechanism, mechanisms)
    Link.store(system, 'customer', 'party.party',
        [(row.external_id, pid, row.checksum) for row, pid in changed])
    return Counter(updated=len(changed))


def _create_customers(system, rows):
    pool = Pool()
    Party = pool.get('party.party')
    Mechanism = pool.get('party.contact_mechanism')
    Link = pool.get('crm.integration.link')
    existing = parties_by_key(
        [k for row in rows for k in customer_keys(row.values)])
    to_create, merges, owner = [], [], {}
    for row in rows:
        keys = customer_keys(row.values)
        target = next(
            (existing[k] for k in keys if k in existing), None)
        if target is not None:
            merges.append((row, target))
            continue
        batch_owner = next((owner[k] for k in keys if k in owner), None)
        if batch_owner is not None:
            # the same customer twice in the file: one party
            merges.append((row, batch_owner))
            continue
        for key in keys:
            owner[key] = row
        to_create.append(row)
    party_ids = bulk.create_customers(
        [party_values(row.values) for row in to_create],
        [new_mechanisms(row.values, set()) for row in to_create])
    party_of = {id(row): pid for row, pid in zip(to_create, party_ids)}
    merges = [(row, target if isinstance(target, int)
            else party_of[id(target)]) for row, target in merges]
    _merge_customers(merges, Party, Mechanism)
    Link.store(system, 'customer', 'party.party',
        [(row.external_id, party_of[id(row)], row.checksum)
            for row in to_create]
        + [(row.external_id, pid, row.checksum) for row, pid in merges])
    return Counter(created=len(to_create), merged=len(merges))


def _merge_customers(merges, Party, Mechanism):
    "Fill what the customer lacks; never overwrite what the CRM holds"
    if not merges:
        return
    keys = keys_of_parties([pid for _, pid in merges])
    parties = {p.id: p for p in Party.browse({pid for _, pid in merges})}
    args, mechanisms = [], []
    for row, party_id in merges:
        party = parties[party_id]
        values = {k: v for k, v in party_values(row.values).items()
            if v not in (None, '') and getattr(party, k, None) in (None, '')}
        if values:
            args.extend([[party], values])
        for mechanism in new_mechanisms(
                row.values, keys.setdefault(party_id, set())):
            mechanisms.append(dict(mechanism, party=party_id))
    if args:
        Party.write(*args)
    if mechanisms:
        create_sliced(Mechanism, mechanisms)


def linked_records(system, record_type, external_ids, any_system=False):
    """The CRM record ids of external ids already imported; any_system
    also takes the ids other systems imported (the systems of a group
    share their customer ids)"""
    Link = Pool().get('crm.integration.link')
    external_ids = set(external_ids)
    found = {ext: rid for ext, (rid, _) in Link.lookup(
            system, record_type, external_ids).items()}
    missing = external_ids - set(found)
    if any_system and missing:
        found.update((ext, rid) for ext, (rid, _) in Link.lookup(
                None, record_type, missing).items())
    return found


def import_products(job, rows, seen=None):
    """Products by code: a code the CRM already has is linked to it, a new
    one creates a service product"""
    system = job.system
    rows, refused = unique_rows(rows, seen)
    same, changed, new = split_known(system, 'product', rows)

    def apply(batch):
        pool = Pool()
        Template = pool.get('product.template')
        Product = pool.get('product.product')
        Link = pool.get('crm.integration.link')
        existing = {p.code: p.template.id for p in Product.search(
                [('code', 'in', [r.external_id for r, _ in batch])])}
        args, entries, to_create = [], [], []
        done = Counter()
        for row, template_id in batch:
            values = {k: v for k, v in row.values.items()
                if k != 'external_id' and v is not None}
            status = 'updated' if template_id else 'merged'
            template_id = template_id or existing.get(row.external_id)
            if template_id:
                args.extend([[Template(template_id)], values])
                entries.append((row.external_id, template_id, row.checksum))
                done[status] += 1
            else:
                to_create.append((row, dict(values,
                            type='service', default_uom=_unit().id,
                            products=[('create', [
                                        {'suffix_code': row.external_id}])])))
        if args:
            Template.write(*args)
        templates = create_sliced(Template, [v for _, v in to_create])
        entries += [(row.external_id, t.id, row.checksum)
            for (row, _), t in zip(to_create, templates)]
        done['created'] += len(to_create)
        Link.store(system, 'product', 'product.template', entries)
        return done
    done, refused_ = apply_isolated(
        [(row, rid) for row, rid in changed]
        + [(row, None) for row in new], apply)
    done['skipped'] += len(same)
    refused += [(r[0], m) for r, m in refused_]
    return done, refused


def _unit():
    Uom = Pool().get('product.uom')
    units = Uom.search([('symbol', '=', 'u')], limit=1) or Uom.search(
        [], limit=1, order=[('id', 'ASC')])
    return units[0]


def import_orders(job, rows, seen=None):
    system = job.system
    rows, refused = unique_rows(rows, seen)
    parties = linked_records(
        system, 'customer', [str(r.values['customer']) for r in rows])
    line_mapping = system.mapping_for('order_line')
    ready = []
    for row in rows:
        try:
            lines = _order_lines(row, line_mapping)
            party = parties.get(str(row.values['customer']))
            if party is None:
                raise RowError(gettext(
                        'crm_integration.msg_row_unknown_customer',
                        external_id=row.values['customer']))
        except RowError as e:
            refused.append((row, e.message))
            continue
        ready.append((row, party, lines))
    done, refused_ = apply_isolated(
        ready, lambda batch: _store_orders(job, batch))
    refused += [(r[0], m) for r, m in refused_]
    return done, refused


def _order_lines(row, mapping):
    raw_lines = row.values.get('lines')
    if not isinstance(raw_lines, list) or not raw_lines:
        raise RowError(gettext('crm_integration.msg_row_no_lines'))
    lines = []
    for raw in raw_lines:
        if not isinstance(raw, dict):
            raise RowError(gettext('crm_integration.msg_row_no_lines'))
        values, errors = transform.map_row(raw, mapping)
        if errors:
            raise RowError(field_errors(errors))
        lines.append(values)
    return lines


def field_errors(errors):
    "One readable sentence per refused field"
    return '; '.join(gettext(
            'crm_integration.msg_row_field',
            field=field,
            problem=gettext('crm_integration.msg_problem_%s' % code),
            value=value[:60])
        for field, code, value in errors)


def _products(system, codes):
    "Product ids by code; unknown codes created when the system says so"
    pool = Pool()
    Product = pool.get('product.product')
    Template = pool.get('product.template')
    found = {}
    for sub_codes in id_slices(sorted(codes)):
        for product in Product.search([('code', 'in', sub_codes)]):
            found.setdefault(product.code, product.id)
    missing = sorted(set(codes) - set(found))
    if missing and system.unknown_product == 'create':
        templates = Template.create([{
                    'name': code,
                    'type': 'service',
                    'default_uom': _unit().id,
                    'products': [('create', [{'suffix_code': code}])],
                    } for code in missing])
        for template in templates:
            product, = template.products
            found[product.code] = product.id
    return found


def _store_orders(job, batch):
    pool = Pool()
    Purchase = pool.get('crm.purchase')
    Store = pool.get('crm.store')
    system = job.system
    company = system.company
    products = _products(system, {
            str(line['product_code']) for _, _, lines in batch
            for line in lines})
    stores = {s.code: s.id for s in Store.search([
                ('code', 'in', list({str(r.values.get('store'))
                            for r, _, _ in batch
                            if r.values.get('store')})),
                ])}
    wanted = {}
    for row, party, lines in batch:
        for line in lines:
            code = str(line['product_code'])
            product = products.get(code)
            if product is None and system.unknown_product == 'report':
                raise RowError(gettext(
                        'crm_integration.msg_row_unknown_product',
                        code=code, order=row.external_id))
            external_id = '%s:%s:%s' % (
                system.code, row.external_id, line['line'])
            wanted[external_id] = (row, {
                    'company': company.id,
                    'party': party,
                    'date': row.values['date'],
                    'product': product,
                    'description': (
                        line.get('description') or (
                            None if product else code)),
                    'quantity': float(line['quantity']),
                    'amount': Decimal(line['amount']).quantize(
                        Decimal('0.01')),
                    'currency': company.currency.id,
                    'channel': row.values.get('channel'),
                    'store': stores.get(str(row.values.get('store'))),
                    'reference': row.external_id,
                    'external_id': external_id,
                    })
    existing = _existing_purchases(company, list(wanted))
    to_create, args, status = [], [], {}
    for external_id, (row, values) in wanted.items():
        current = existing.get(external_id)
        if current is None:
            to_create.append(values)
            status[row.external_id] = 'created'
        elif current[1] != _purchase_signature(values):
            args.extend([[Purchase(current[0])], values])
            if status.get(row.external_id) in {None, 'skipped'}:
                status[row.external_id] = 'updated'
        else:
            status.setdefault(row.external_id, 'skipped')
    bulk.create_purchases(to_create)
    if args:
        Purchase.write(*args)
    return Counter(status.values())


def _purchase_signature(values):
    return (values['party'], values['date'], values['product'],
        round(float(values['quantity']), 4), Decimal(values['amount']))


def _existing_purchases(company, external_ids):
    Purchase = Pool().get('crm.purchase')
    purchase = Purchase.__table__()
    cursor = Transaction().connection.cursor()
    found = {}
    for sub_ids in id_slices(external_ids):
        cursor.execute(*purchase.select(
                purchase.external_id, purchase.id, purchase.party,
                purchase.date, purchase.product, purchase.quantity,
                purchase.amount,
                where=(purchase.company == company.id)
                & purchase.external_id.in_(sub_ids)))
        for ext, id_, party, date, product, quantity, amount in cursor:
            if isinstance(date, str):
                date = dt.date.fromisoformat(date)
            found[ext] = (id_, (party, date, product,
                    round(float(quantity), 4),
                    Decimal(str(amount)).quantize(Decimal('0.01'))))
    return found
