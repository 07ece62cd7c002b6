# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import doctest
import unittest

from trytond.modules.crm_core.engine import dedup, lifecycle, quality


class DedupTestCase(unittest.TestCase):

    def test_phone_key_variants_collapse(self):
        variants = [
            '13800138000', '138-0013-8000', '+86 138 0013 8000',
            '0086 13800138000', '８６１３８００１３８０００',
            '(138)0013 8000']
        self.assertEqual({dedup.phone_key(v) for v in variants},
            {'13800138000'})

    def test_phone_key_keeps_landline_prefix(self):
        self.assertEqual(dedup.phone_key('021-6888 1234'), '02168881234')
        # 86 followed by something that is not a mobile is kept.
        self.assertEqual(dedup.phone_key('8621 1234 5678'), '862112345678')

    def test_phone_key_empty(self):
        self.assertIsNone(dedup.phone_key('--'))
        self.assertIsNone(dedup.phone_key(None))

    def test_name_key_folds_width_space_punctuation(self):
        self.assertEqual(dedup.name_key('王　伟'), dedup.name_key('王伟'))
        self.assertEqual(
            dedup.name_key('上海华信贸易（集团）有限公司'),
            dedup.name_key('上海华信贸易(集团)有限公司'))
        self.assertEqual(dedup.name_key('ACME, Inc.'), 'acmeinc')
        self.assertNotEqual(dedup.name_key('王伟'), dedup.name_key('王卫'))

    def test_contact_key(self):
        self.assertEqual(
            dedup.contact_key('email', ' Li@Example.com'),
            'e:li@example.com')
        self.assertEqual(dedup.contact_key('phone', '+86 13912345678'),
            'p:13912345678')
        self.assertIsNone(dedup.contact_key('url', 'http://x'))

    def test_match_score(self):
        self.assertAlmostEqual(dedup.match_score({'phone'}), 0.9)
        self.assertGreater(
            dedup.match_score({'phone', 'email'}),
            dedup.match_score({'phone'}))
        self.assertEqual(dedup.match_score(set()), 0)


class QualityTestCase(unittest.TestCase):

    def test_phones(self):
        for value in ['13912345678', '+86 139-1234-5678', '021-68881234',
                '0755 8888 1234', '+44 20 7946 0958']:
            with self.subTest(value=value):
                self.assertTrue(quality.is_valid_phone(value))
        for value in ['12345', '2912345678', 'abc', '', '1391234567',
                '4420 7946 0958']:
            with self.subTest(value=value):
                self.assertFalse(quality.is_valid_phone(value))

    def test_emails(self):
        self.assertTrue(quality.is_valid_email('li.na+crm@mail.example.cn'))
        for value in ['li@', '@x.com', 'li@example', 'li na@x.com', '']:
            with self.subTest(value=value):
                self.assertFalse(quality.is_valid_email(value))

    def test_landline_is_not_a_mobile(self):
        self.assertTrue(quality.is_valid_contact('phone', '021-68881234'))
        self.assertFalse(quality.is_valid_contact('mobile', '021-68881234'))
        self.assertTrue(quality.is_valid_contact('mobile', '+44 7700 900123'))

    def test_other_types_are_not_checked(self):
        self.assertTrue(quality.is_valid_contact('website', 'whatever'))


class LifecycleTestCase(unittest.TestCase):

    def test_every_stage_has_transitions(self):
        for stage in lifecycle.STAGES:
            self.assertTrue(lifecycle.allowed_from(stage), stage)
            for target in lifecycle.allowed_from(stage):
                self.assertIn(target, lifecycle.STAGES)

    def test_refusals(self):
        self.assertFalse(lifecycle.is_allowed('prospect', 'loyal'))
        self.assertFalse(lifecycle.is_allowed('churned', 'active'))
        self.assertTrue(lifecycle.is_allowed('churned', 'won_back'))
        self.assertTrue(lifecycle.is_allowed('loyal', 'loyal'))


class DoctestTestCase(unittest.TestCase):

    def test_engine_docstrings(self):
        for module in [dedup, quality, lifecycle]:
            with self.subTest(module=module.__name__):
                result = doctest.testmod(module)
                self.assertGreater(result.attempted, 0)
                self.assertEqual(result.failed, 0)
