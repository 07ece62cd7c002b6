# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Selections shared by several CRM models."

CHANNELS = [
    ('phone', "Phone"),
    ('web', "Web"),
    ('fax', "Fax"),
    ('email', "E-mail"),
    ('chat', "Chat / Instant Messaging"),
    ('social', "Social Media"),
    ('visit', "Visit"),
    ('walk_in', "Walk-in"),
    ('letter', "Letter"),
    ]

PURCHASE_CHANNELS = [
    ('store', "Store"),
    ('online', "Online"),
    ('phone', "Phone"),
    ('field_sales', "Field Sales"),
    ('wholesale', "Wholesale"),
    ('other', "Other"),
    ]

LIFECYCLE_STAGES = [
    ('prospect', "Prospect"),
    ('new', "New"),
    ('active', "Active"),
    ('loyal', "Loyal"),
    ('at_risk', "At Risk"),
    ('churned', "Churned"),
    ('won_back', "Won Back"),
    ]

SENSITIVE_FIELDS = {'birth_date', 'income_band', 'id_number'}
