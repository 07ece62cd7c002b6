# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .common import LIFECYCLE_STAGES
from .engine import lifecycle


class ChangeLifecycle(Wizard):
    __name__ = 'crm.lifecycle.change.wizard'
    start = StateView('crm.lifecycle.change.start',
        'crm_core.lifecycle_change_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Change", 'change', 'tryton-ok', default=True),
            ])
    change = StateTransition()

    def default_start(self, fields):
        return {
            'current_stage': self.record.lifecycle_stage,
            'allowed_stages': lifecycle.allowed_from(
                self.record.lifecycle_stage),
            }

    def transition_change(self):
        Party = Pool().get('party.party')
        with Transaction().set_context(lifecycle_reason=self.start.reason):
            Party.write(list(self.records), {
                    'lifecycle_stage': self.start.stage,
                    })
        return 'end'


class ChangeLifecycleStart(ModelView):
    __name__ = 'crm.lifecycle.change.start'
    current_stage = fields.Selection(
        LIFECYCLE_STAGES, "Current Stage", readonly=True)
    allowed_stages = fields.MultiSelection(
        LIFECYCLE_STAGES, "Allowed Stages", readonly=True)
    stage = fields.Selection(
        LIFECYCLE_STAGES, "New Stage", required=True,
        domain=[('stage', 'in', Eval('allowed_stages', []))])
    reason = fields.Text("Reason", required=True)
