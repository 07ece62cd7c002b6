# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.cache import Cache
from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import without_check_access

from .engine import kb_match


class Article(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'crm.kb.article'
    __string__ = "Standard Answer"
    _rec_name = 'question'
    question = fields.Char("Standard Question", required=True)
    answer = fields.Text("Answer", required=True)
    keywords = fields.Char(
        "Keywords", help="Words and phrases, separated by spaces or commas, "
        "that customers use for this question.")
    queue = fields.Many2One(
        'crm.service.queue', "Queue", ondelete='SET NULL',
        help="Leave empty for every queue.")
    language = fields.Selection([
            ('zh_CN', "Chinese"),
            ('en', "English"),
            ], "Language", required=True)
    auto_reply = fields.Boolean(
        "Auto-reply",
        help="Answer matching web and e-mail tickets automatically.")

    _index_cache = Cache('crm.kb.article.index', context=False)

    @staticmethod
    def default_language():
        return 'zh_CN'

    @staticmethod
    def default_auto_reply():
        return True

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith(('!', 'not ')) else 'OR'
        return [bool_op,
            ('question', operator, operand, *extra),
            ('keywords', operator, operand, *extra),
            ('answer', operator, operand, *extra),
            ]

    @classmethod
    def on_modification(cls, mode, articles, field_names=None):
        super().on_modification(mode, articles, field_names=field_names)
        cls._index_cache.clear()

    @classmethod
    def _index(cls):
        "The matching index of the active articles, built once per change."
        index = cls._index_cache.get(None)
        if index is None:
            with without_check_access():
                articles = cls.search([])
            index = kb_match.build_index([
                    kb_match.Article(
                        id=a.id, question=a.question,
                        keywords=a.keywords or '', language=a.language)
                    for a in articles])
            cls._index_cache.set(None, index)
        return index

    @classmethod
    def suggest(cls, text, queue=None, limit=5):
        "[(article, score)] best first, for the queue (or any)."
        if not text:
            return []
        found = kb_match.match(cls._index(), text, top=limit * 4)
        articles = cls.browse([i for i, _ in found])
        scores = dict(found)
        result = [
            (a, scores[a.id]) for a in articles
            if queue is None or a.queue is None or a.queue == queue]
        return result[:limit]

    @classmethod
    def best_answer(cls, text, queue=None):
        "The article to send automatically, or None when unsure."
        pool = Pool()
        Configuration = pool.get('crm.service.configuration')
        config = Configuration(1)
        found = cls.suggest(text, queue=queue, limit=2)
        decision = kb_match.auto_answer(
            [(a.id, s) for a, s in found],
            threshold=config.auto_reply_threshold,
            margin=config.auto_reply_margin)
        if decision is not None:
            article = cls(decision)
            if article.auto_reply:
                return article
