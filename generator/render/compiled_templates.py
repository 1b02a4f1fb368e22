"""The shipped Jinja2 templates, compiled ahead of time.

Written by ``python -m generator.render.prebuilt``; do not edit.
"""

# ruff: noqa
# mypy: ignore-errors
# fmt: off

KEY = 'f41604b4fa17542ae71216c31ace15df7a3ddfacfdaecd253d09d9ada865c9c8'

from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join


def _template_0(environment):
    name = '__init__.py.jinja'

    def root(context, missing=missing):
        resolve = context.resolve_or_missing
        undefined = environment.undefined
        concat = environment.concat
        cond_expr_undefined = Undefined
        if 0: yield None
        l_0_docstring = resolve('docstring')
        l_0_runtime_requirement = resolve('runtime_requirement')
        l_0_package_literal = resolve('package_literal')
        l_0_service = resolve('service')
        l_0_model_names = resolve('model_names')
        l_0_sync_class_name = resolve('sync_class_name')
        l_0_sync_class_literal = resolve('sync_class_literal')
        l_0_all_names = resolve('all_names')
        try:
            t_1 = environment.filters['join']
        except KeyError:
            @internalcode
            def t_1(*unused):
                raise TemplateRuntimeError("No filter named 'join' found.")
        pass
        template = environment.get_template('_header.jinja', '__init__.py.jinja')
        gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
        try:
            for event in gen:
                yield event
        finally: gen.close()
        yield str((undefined(name='docstring') if l_0_docstring is missing else l_0_docstring))
        yield '\n\nfrom resilient_client import check_runtime_version\n\ncheck_runtime_version('
        yield str((undefined(name='runtime_requirement') if l_0_runtime_requirement is missing else l_0_runtime_requirement))
        yield ', package='
        yield str((undefined(name='package_literal') if l_0_package_literal is missing else l_0_package_literal))
        yield ')\n\nfrom ._client import '
        yield str(environment.getattr((undefined(name='service') if l_0_service is missing else l_0_service), 'class_name'))
        yield '\n'
        if ((undefined(name='model_names') if l_0_model_names is missing else l_0_model_names) or (undefined(name='sync_class_name') if l_0_sync_class_name is missing else l_0_sync_class_name)):
            pass
            yield 'import typing as _typing\n\nif _typing.TYPE_CHECKING:\n'
            if (undefined(name='sync_class_name') if l_0_sync_class_name is missing else l_0_sync_class_name):
                pass
                yield '    from ._sync_client import (\n        '
                yield str((undefined(name='sync_class_name') if l_0_sync_class_name is missing else l_0_sync_class_name))
                yield ',\n    )\n'
            if (undefined(name='model_names') if l_0_model_names is missing else l_0_model_names):
                pass
                yield '    from .models import '
                yield str(t_1(context.eval_ctx, (undefined(name='model_names') if l_0_model_names is missing else l_0_model_names), ', '))
                yield '\n'
            yield 'else:\n'
            if (undefined(name='model_names') if l_0_model_names is missing else l_0_model_names):
                pass
                yield '    from . import models as _models\n\n    # Models are re-exported lazily, like models/ itself: naming one imports its module.\n    _MODEL_NAMES = frozenset(_models.__all__)\n'
            if (undefined(name='sync_class_name') if l_0_sync_class_name is missing else l_0_sync_class_name):
                pass
                yield '    # The blocking client too: async users never import it (nor its thread code).\n    _SYNC_NAMES = [\n        '
                yield str((undefined(name='sync_class_literal') if l_0_sync_class_literal is missing else l_0_sync_class_literal))
                yield ',\n    ]\n'
            yield '\n    def __getattr__(name: str) -> object:\n'
            if (undefined(name='sync_class_name') if l_0_sync_class_name is missing else l_0_sync_class_name):
                pass
                yield '        if name in _SYNC_NAMES:\n            from . import _sync_client\n\n            value: object = getattr(_sync_client, name)\n            globals()[name] = value\n            return value\n'
            if (undefined(name='model_names') if l_0_model_names is missing else l_0_model_names):
                pass
                yield '        if name not in _MODEL_NAMES:\n            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")\n        value = getattr(_models, name)\n        globals()[name] = value\n        return value\n'
            else:
                pass
                yield '        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")\n'
            yield '\n    def __dir__() -> list[str]:\n        return sorted({*globals(), *__all__})\n\n'
        yield '\n__all__ = [\n'
        for l_1_name in (undefined(name='all_names') if l_0_all_names is missing else l_0_all_names):
            _loop_vars = {}
            pass
            yield '    "'
            yield str(l_1_name)
            yield '",\n'
        l_1_name = missing
        yield ']\n'

    blocks = {}
    debug_info = '1=25&2=31&6=33&8=37&9=39&13=42&15=45&18=47&19=50&22=53&28=56&31=59&36=62&44=65&60=73&61=77'
    __file__ = '__init__.py.jinja'
    return locals()


def _template_1(environment):
    name = '_client.py.jinja'

    def root(context, missing=missing):
        resolve = context.resolve_or_missing
        undefined = environment.undefined
        concat = environment.concat
        cond_expr_undefined = Undefined
        if 0: yield None
        l_0_docstring = resolve('docstring')
        l_0_client = resolve('client')
        try:
            t_1 = environment.filters['join']
        except KeyError:
            @internalcode
            def t_1(*unused):
                raise TemplateRuntimeError("No filter named 'join' found.")
        pass
        template = environment.get_template('_header.jinja', '_client.py.jinja')
        gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
        try:
            for event in gen:
                yield event
        finally: gen.close()
        yield str((undefined(name='docstring') if l_0_docstring is missing else l_0_docstring))
        yield '\n\nfrom __future__ import annotations\n\n'
        for l_1_line in environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'stdlib_imports'):
            _loop_vars = {}
            pass
            yield str(l_1_line)
            yield '\n'
        l_1_line = missing
        yield 'from collections.abc import '
        yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'abc_import'))
        yield '\nfrom typing import '
        yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'typing_import'))
        yield '\n\n'
        if environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'uses_field'):
            pass
            yield 'from pydantic import Field\n'
        yield 'from resilient_client import '
        yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'runtime_import'))
        yield '\nfrom typing_extensions import Unpack\n'
        if environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'has_models'):
            pass
            yield '\nfrom . import models\n'
        if environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'shared_responses'):
            pass
            yield '\n'
            for (l_1_name, l_1_source) in environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'shared_responses'):
                _loop_vars = {}
                pass
                yield str(l_1_name)
                yield ' = '
                yield str(l_1_source)
                yield '\n'
            l_1_name = l_1_source = missing
        for l_1_op in environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'operations'):
            _loop_vars = {}
            pass
            yield '\n'
            yield str(environment.getattr(l_1_op, 'const'))
            yield ': Operation['
            yield str(environment.getattr(l_1_op, 'return_type'))
            yield '] = Operation('
            yield str(t_1(context.eval_ctx, environment.getattr(l_1_op, 'operation_options'), ', '))
            yield ')\n'
            if environment.getattr(l_1_op, 'iter'):
                pass
                yield str(environment.getattr(environment.getattr(l_1_op, 'iter'), 'const_line'))
                yield '\n'
        l_1_op = missing
        yield '\n\nclass '
        yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'class_name'))
        yield '('
        yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'base_ref'))
        yield '):\n    '
        yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'docstring'))
        yield '\n\n    service_name: ClassVar[str] = '
        yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'service_name'))
        yield '\n    default_base_url: ClassVar[str | None] = '
        yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'default_base_url'))
        yield '\n    health_operation: ClassVar[Operation[Any] | None] = '
        yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'health_operation'))
        yield '\n'
        for l_1_line in environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'security_lines'):
            _loop_vars = {}
            pass
            if l_1_line:
                pass
                yield '    '
                yield str(l_1_line)
                yield '\n'
            else:
                pass
                yield '\n'
        l_1_line = missing
        for l_1_op in environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'operations'):
            _loop_vars = {}
            pass
            yield '\n    async def '
            yield str(environment.getattr(l_1_op, 'name'))
            yield '(\n'
            for l_2_arg in environment.getattr(l_1_op, 'signature'):
                _loop_vars = {}
                pass
                yield '        '
                yield str(l_2_arg)
                yield ',\n'
            l_2_arg = missing
            yield '    ) -> '
            yield str(environment.getattr(l_1_op, 'return_type'))
            yield ':\n        '
            yield str(environment.getattr(l_1_op, 'docstring'))
            yield '\n'
            for l_2_line in environment.getattr(l_1_op, 'statements'):
                _loop_vars = {}
                pass
                yield '        '
                yield str(l_2_line)
                yield '\n'
            l_2_line = missing
            yield '        return await self._request(\n'
            for l_2_arg in environment.getattr(l_1_op, 'request_args'):
                _loop_vars = {}
                pass
                yield '            '
                yield str(l_2_arg)
                yield ',\n'
            l_2_arg = missing
            yield '        )\n'
            if environment.getattr(l_1_op, 'stream'):
                pass
                template = environment.get_template('_stream_method.jinja', '_client.py.jinja')
                gen = template.root_render_func(template.new_context(context.get_all(), True, {'op': l_1_op}))
                try:
                    for event in gen:
                        yield event
                finally: gen.close()
            if environment.getattr(l_1_op, 'iter'):
                pass
                template = environment.get_template('_iter_method.jinja', '_client.py.jinja')
                gen = template.root_render_func(template.new_context(context.get_all(), True, {'op': l_1_op}))
                try:
                    for event in gen:
                        yield event
                finally: gen.close()
            if environment.getattr(l_1_op, 'events'):
                pass
                template = environment.get_template('_events_method.jinja', '_client.py.jinja')
                gen = template.root_render_func(template.new_context(context.get_all(), True, {'op': l_1_op}))
                try:
                    for event in gen:
                        yield event
                finally: gen.close()
        l_1_op = missing

    blocks = {}
    debug_info = '1=19&2=25&6=27&7=30&9=34&10=36&12=38&15=42&17=44&21=47&23=50&24=53&27=58&30=62&31=68&32=70&37=74&38=78&40=80&41=82&42=84&43=86&44=89&45=92&50=98&52=102&53=104&54=108&56=112&57=114&58=116&59=120&62=124&63=128&66=132&67=134&69=140&70=142&72=148&73=150'
    __file__ = '_client.py.jinja'
    return locals()


def _template_2(environment):
    name = '_events_method.jinja'

    def root(context, missing=missing):
        resolve = context.resolve_or_missing
        undefined = environment.undefined
        concat = environment.concat
        cond_expr_undefined = Undefined
        if 0: yield None
        l_0_op = resolve('op')
        l_0_events = missing
        pass
        l_0_events = environment.getattr((undefined(name='op') if l_0_op is missing else l_0_op), 'events')
        context.vars['events'] = l_0_events
        context.exported_vars.add('events')
        yield '\n    def '
        yield str(environment.getattr((undefined(name='events') if l_0_events is missing else l_0_events), 'name'))
        yield '(\n'
        for l_1_arg in environment.getattr((undefined(name='events') if l_0_events is missing else l_0_events), 'signature'):
            _loop_vars = {}
            pass
            yield '        '
            yield str(l_1_arg)
            yield ',\n'
        l_1_arg = missing
        yield '    ) -> EventStream['
        yield str(environment.getattr((undefined(name='events') if l_0_events is missing else l_0_events), 'data_type'))
        yield ']:\n        '
        yield str(environment.getattr((undefined(name='events') if l_0_events is missing else l_0_events), 'docstring'))
        yield '\n'
        for l_1_line in environment.getattr((undefined(name='op') if l_0_op is missing else l_0_op), 'statements'):
            _loop_vars = {}
            pass
            yield '        '
            yield str(l_1_line)
            yield '\n'
        l_1_line = missing
        yield '        return self._events(\n'
        for l_1_arg in environment.getattr((undefined(name='events') if l_0_events is missing else l_0_events), 'request_args'):
            _loop_vars = {}
            pass
            yield '            '
            yield str(l_1_arg)
            yield ',\n'
        l_1_arg = missing
        yield '        )\n'

    blocks = {}
    debug_info = '2=13&4=17&5=19&6=23&8=27&9=29&10=31&11=35&14=39&15=43'
    __file__ = '_events_method.jinja'
    return locals()


def _template_3(environment):
    name = '_header.jinja'

    def root(context, missing=missing):
        resolve = context.resolve_or_missing
        undefined = environment.undefined
        concat = environment.concat
        cond_expr_undefined = Undefined
        if 0: yield None
        l_0_header_lines = resolve('header_lines')
        pass
        for l_1_line in (undefined(name='header_lines') if l_0_header_lines is missing else l_0_header_lines):
            _loop_vars = {}
            pass
            yield str(l_1_line)
            yield '\n'
        l_1_line = missing

    blocks = {}
    debug_info = '1=12&2=15'
    __file__ = '_header.jinja'
    return locals()


def _template_4(environment):
    name = '_iter_method.jinja'

    def root(context, missing=missing):
        resolve = context.resolve_or_missing
        undefined = environment.undefined
        concat = environment.concat
        cond_expr_undefined = Undefined
        if 0: yield None
        l_0_op = resolve('op')
        l_0_walk = missing
        pass
        l_0_walk = environment.getattr((undefined(name='op') if l_0_op is missing else l_0_op), 'iter')
        context.vars['walk'] = l_0_walk
        context.exported_vars.add('walk')
        yield '\n    def '
        yield str(environment.getattr((undefined(name='walk') if l_0_walk is missing else l_0_walk), 'name'))
        yield '(\n'
        for l_1_arg in environment.getattr((undefined(name='walk') if l_0_walk is missing else l_0_walk), 'signature'):
            _loop_vars = {}
            pass
            yield '        '
            yield str(l_1_arg)
            yield ',\n'
        l_1_arg = missing
        yield '    ) -> '
        yield str(environment.getattr((undefined(name='walk') if l_0_walk is missing else l_0_walk), 'return_type'))
        yield ':\n        '
        yield str(environment.getattr((undefined(name='walk') if l_0_walk is missing else l_0_walk), 'docstring'))
        yield '\n'
        for l_1_line in environment.getattr((undefined(name='op') if l_0_op is missing else l_0_op), 'statements'):
            _loop_vars = {}
            pass
            yield '        '
            yield str(l_1_line)
            yield '\n'
        l_1_line = missing
        yield '        return self._paginate(\n'
        for l_1_arg in environment.getattr((undefined(name='walk') if l_0_walk is missing else l_0_walk), 'request_args'):
            _loop_vars = {}
            pass
            yield '            '
            yield str(l_1_arg)
            yield ',\n'
        l_1_arg = missing
        yield '        )\n'

    blocks = {}
    debug_info = '2=13&4=17&5=19&6=23&8=27&9=29&10=31&11=35&14=39&15=43'
    __file__ = '_iter_method.jinja'
    return locals()


def _template_5(environment):
    name = '_stream_method.jinja'

    def root(context, missing=missing):
        resolve = context.resolve_or_missing
        undefined = environment.undefined
        concat = environment.concat
        cond_expr_undefined = Undefined
        if 0: yield None
        l_0_op = resolve('op')
        l_0_stream = missing
        pass
        l_0_stream = environment.getattr((undefined(name='op') if l_0_op is missing else l_0_op), 'stream')
        context.vars['stream'] = l_0_stream
        context.exported_vars.add('stream')
        yield '\n    def '
        yield str(environment.getattr((undefined(name='stream') if l_0_stream is missing else l_0_stream), 'name'))
        yield '(\n'
        for l_1_arg in environment.getattr((undefined(name='stream') if l_0_stream is missing else l_0_stream), 'signature'):
            _loop_vars = {}
            pass
            yield '        '
            yield str(l_1_arg)
            yield ',\n'
        l_1_arg = missing
        yield '    ) -> StreamContext:\n        '
        yield str(environment.getattr((undefined(name='stream') if l_0_stream is missing else l_0_stream), 'docstring'))
        yield '\n'
        for l_1_line in environment.getattr((undefined(name='op') if l_0_op is missing else l_0_op), 'statements'):
            _loop_vars = {}
            pass
            yield '        '
            yield str(l_1_line)
            yield '\n'
        l_1_line = missing
        yield '        return self._stream(\n'
        for l_1_arg in environment.getattr((undefined(name='stream') if l_0_stream is missing else l_0_stream), 'request_args'):
            _loop_vars = {}
            pass
            yield '            '
            yield str(l_1_arg)
            yield ',\n'
        l_1_arg = missing
        yield '        )\n'

    blocks = {}
    debug_info = '2=13&4=17&5=19&6=23&9=27&10=29&11=33&14=37&15=41'
    __file__ = '_stream_method.jinja'
    return locals()


def _template_6(environment):
    name = '_sync_client.py.jinja'

    def root(context, missing=missing):
        resolve = context.resolve_or_missing
        undefined = environment.undefined
        concat = environment.concat
        cond_expr_undefined = Undefined
        if 0: yield None
        l_0_docstring = resolve('docstring')
        l_0_sync = resolve('sync')
        try:
            t_1 = environment.filters['join']
        except KeyError:
            @internalcode
            def t_1(*unused):
                raise TemplateRuntimeError("No filter named 'join' found.")
        pass
        template = environment.get_template('_header.jinja', '_sync_client.py.jinja')
        gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
        try:
            for event in gen:
                yield event
        finally: gen.close()
        yield str((undefined(name='docstring') if l_0_docstring is missing else l_0_docstring))
        yield '\n\nfrom __future__ import annotations\n\n'
        if (environment.getattr((undefined(name='sync') if l_0_sync is missing else l_0_sync), 'stdlib_imports') or environment.getattr((undefined(name='sync') if l_0_sync is missing else l_0_sync), 'typing_names')):
            pass
            for l_1_line in environment.getattr((undefined(name='sync') if l_0_sync is missing else l_0_sync), 'stdlib_imports'):
                _loop_vars = {}
                pass
                yield str(l_1_line)
                yield '\n'
            l_1_line = missing
            if environment.getattr((undefined(name='sync') if l_0_sync is missing else l_0_sync), 'typing_names'):
                pass
                yield 'from typing import '
                yield str(t_1(context.eval_ctx, environment.getattr((undefined(name='sync') if l_0_sync is missing else l_0_sync), 'typing_names'), ', '))
                yield '\n'
            yield '\n'
        if environment.getattr((undefined(name='sync') if l_0_sync is missing else l_0_sync), 'uses_field'):
            pass
            yield 'from pydantic import Field\n'
        yield 'from resilient_client import '
        yield str(environment.getattr((undefined(name='sync') if l_0_sync is missing else l_0_sync), 'runtime_import'))
        yield '\nfrom resilient_client.sync import '
        yield str(environment.getattr((undefined(name='sync') if l_0_sync is missing else l_0_sync), 'sync_import'))
        yield '\nfrom typing_extensions import Unpack\n\n'
        if environment.getattr((undefined(name='sync') if l_0_sync is missing else l_0_sync), 'has_models'):
            pass
            yield 'from . import models\n'
        yield 'from ._client import '
        yield str(environment.getattr((undefined(name='sync') if l_0_sync is missing else l_0_sync), 'async_import'))
        yield '\n\n\nclass '
        yield str(environment.getattr((undefined(name='sync') if l_0_sync is missing else l_0_sync), 'class_name'))
        yield '(SyncServiceClient['
        yield str(environment.getattr((undefined(name='sync') if l_0_sync is missing else l_0_sync), 'async_ref'))
        yield ']):\n    '
        yield str(environment.getattr((undefined(name='sync') if l_0_sync is missing else l_0_sync), 'docstring'))
        yield '\n\n    _async_class = '
        yield str(environment.getattr((undefined(name='sync') if l_0_sync is missing else l_0_sync), 'async_ref'))
        yield '\n'
        for l_1_helper in environment.getattr((undefined(name='sync') if l_0_sync is missing else l_0_sync), 'auth_helpers'):
            _loop_vars = {}
            pass
            yield '    '
            yield str(l_1_helper)
            yield ' = staticmethod('
            yield str(environment.getattr((undefined(name='sync') if l_0_sync is missing else l_0_sync), 'async_ref'))
            yield '.'
            yield str(l_1_helper)
            yield ')\n'
        l_1_helper = missing
        for l_1_m in environment.getattr((undefined(name='sync') if l_0_sync is missing else l_0_sync), 'methods'):
            _loop_vars = {}
            pass
            yield '\n    def '
            yield str(environment.getattr(l_1_m, 'name'))
            yield '(\n'
            for l_2_arg in environment.getattr(l_1_m, 'signature'):
                _loop_vars = {}
                pass
                yield '        '
                yield str(l_2_arg)
                yield ',\n'
            l_2_arg = missing
            yield '    ) -> '
            yield str(environment.getattr(l_1_m, 'return_type'))
            yield ':\n        '
            yield str(environment.getattr(l_1_m, 'docstring'))
            yield '\n        return '
            yield str(environment.getattr(l_1_m, 'body'))
            yield '\n'
        l_1_m = missing

    blocks = {}
    debug_info = '1=19&2=25&6=27&7=29&8=32&10=35&11=38&15=41&18=45&19=47&22=49&25=53&28=55&29=59&31=61&32=63&33=67&35=74&37=78&38=80&39=84&41=88&42=90&43=92'
    __file__ = '_sync_client.py.jinja'
    return locals()


def _template_7(environment):
    name = 'model_module.py.jinja'

    def root(context, missing=missing):
        resolve = context.resolve_or_missing
        undefined = environment.undefined
        concat = environment.concat
        cond_expr_undefined = Undefined
        if 0: yield None
        l_0_module_docstring = resolve('module_docstring')
        l_0_import_groups = resolve('import_groups')
        l_0_classes = resolve('classes')
        l_0_aliases = resolve('aliases')
        try:
            t_1 = environment.tests['none']
        except KeyError:
            @internalcode
            def t_1(*unused):
                raise TemplateRuntimeError("No test named 'none' found.")
        pass
        template = environment.get_template('_header.jinja', 'model_module.py.jinja')
        gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
        try:
            for event in gen:
                yield event
        finally: gen.close()
        yield '"""'
        yield str((undefined(name='module_docstring') if l_0_module_docstring is missing else l_0_module_docstring))
        yield '"""\n'
        for l_1_group in (undefined(name='import_groups') if l_0_import_groups is missing else l_0_import_groups):
            _loop_vars = {}
            pass
            yield '\n'
            for l_2_line in l_1_group:
                _loop_vars = {}
                pass
                yield str(l_2_line)
                yield '\n'
            l_2_line = missing
        l_1_group = missing
        for l_1_cls in (undefined(name='classes') if l_0_classes is missing else l_0_classes):
            _loop_vars = {}
            pass
            yield '\n\nclass '
            yield str(environment.getattr(l_1_cls, 'name'))
            yield '('
            yield str(environment.getattr(l_1_cls, 'bases'))
            yield '):\n'
            if (not t_1(environment.getattr(l_1_cls, 'docstring'))):
                pass
                yield '    '
                yield str(environment.getattr(l_1_cls, 'docstring'))
                yield '\n\n'
            if (environment.getattr(l_1_cls, 'kind') == 'enum'):
                pass
                for (l_2_member_name, l_2_value) in environment.getattr(l_1_cls, 'members'):
                    _loop_vars = {}
                    pass
                    yield '    '
                    yield str(l_2_member_name)
                    yield ' = '
                    yield str(l_2_value)
                    yield '\n'
                l_2_member_name = l_2_value = missing
            else:
                pass
                yield '    model_config = '
                yield str(environment.getattr(l_1_cls, 'config'))
                yield '\n'
                if environment.getattr(l_1_cls, 'fields'):
                    pass
                    yield '\n'
                for l_2_line in environment.getattr(l_1_cls, 'fields'):
                    _loop_vars = {}
                    pass
                    if l_2_line:
                        pass
                        yield '    '
                        yield str(l_2_line)
                        yield '\n'
                    else:
                        pass
                        yield '\n'
                l_2_line = missing
        l_1_cls = missing
        l_1_loop = missing
        for l_1_line, l_1_loop in LoopContext((undefined(name='aliases') if l_0_aliases is missing else l_0_aliases), undefined):
            _loop_vars = {}
            pass
            if ((undefined(name='classes') if l_0_classes is missing else l_0_classes) or (not environment.getattr(l_1_loop, 'first'))):
                pass
                yield '\n'
            yield '\n'
            yield str(l_1_line)
            yield '\n'
        l_1_loop = l_1_line = missing

    blocks = {}
    debug_info = '1=21&2=28&3=30&5=34&6=37&9=41&12=45&13=49&14=52&17=54&18=56&19=60&22=68&23=70&26=73&27=76&28=79&35=87&37=90&41=94'
    __file__ = 'model_module.py.jinja'
    return locals()


def _template_8(environment):
    name = 'models_init.py.jinja'

    def root(context, missing=missing):
        resolve = context.resolve_or_missing
        undefined = environment.undefined
        concat = environment.concat
        cond_expr_undefined = Undefined
        if 0: yield None
        l_0_docstring = resolve('docstring')
        l_0_package_name = resolve('package_name')
        l_0_modules = resolve('modules')
        l_0_module_of = resolve('module_of')
        l_0_all_names = resolve('all_names')
        try:
            t_1 = environment.filters['join']
        except KeyError:
            @internalcode
            def t_1(*unused):
                raise TemplateRuntimeError("No filter named 'join' found.")
        pass
        template = environment.get_template('_header.jinja', 'models_init.py.jinja')
        gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
        try:
            for event in gen:
                yield event
        finally: gen.close()
        yield '"""'
        yield str((undefined(name='docstring') if l_0_docstring is missing else l_0_docstring))
        yield '\n\nEvery model lives in a private submodule that is imported on first use (PEP 562\n``__getattr__``), so importing the client defines no model classes. Both forms work:\n\n    from '
        yield str((undefined(name='package_name') if l_0_package_name is missing else l_0_package_name))
        yield '.models import X\n    '
        yield str((undefined(name='package_name') if l_0_package_name is missing else l_0_package_name))
        yield '.models.X\n\nType checkers read the imports under ``TYPE_CHECKING``.\n"""\n\n'
        if (undefined(name='modules') if l_0_modules is missing else l_0_modules):
            pass
            yield 'import typing as _typing\n\nif _typing.TYPE_CHECKING:\n'
            for (l_1_module, l_1_names) in (undefined(name='modules') if l_0_modules is missing else l_0_modules):
                _loop_vars = {}
                pass
                yield '    from .'
                yield str(l_1_module)
                yield ' import '
                yield str(t_1(context.eval_ctx, l_1_names, ', '))
                yield '\n'
            l_1_module = l_1_names = missing
            yield 'else:\n    from importlib import import_module as _import_module\n\n    _MODULE_OF = {\n'
            for (l_1_name, l_1_module) in (undefined(name='module_of') if l_0_module_of is missing else l_0_module_of):
                _loop_vars = {}
                pass
                yield '        "'
                yield str(l_1_name)
                yield '": "'
                yield str(l_1_module)
                yield '",\n'
            l_1_name = l_1_module = missing
            yield '    }\n\n    def __getattr__(name: str) -> object:\n        module = _MODULE_OF.get(name)\n        if module is None:\n            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")\n        value = getattr(_import_module(f"{__name__}.{module}"), name)\n        # later lookups find the name directly, without calling this function again\n        globals()[name] = value\n        return value\n\n    def __dir__() -> list[str]:\n        return sorted({*globals(), *__all__})\n\n\n'
        if (undefined(name='all_names') if l_0_all_names is missing else l_0_all_names):
            pass
            yield '__all__ = [\n'
            for l_1_name in (undefined(name='all_names') if l_0_all_names is missing else l_0_all_names):
                _loop_vars = {}
                pass
                yield '    "'
                yield str(l_1_name)
                yield '",\n'
            l_1_name = missing
            yield ']\n'
        else:
            pass
            yield '__all__: list[str] = []\n'

    blocks = {}
    debug_info = '1=22&2=29&7=31&8=33&13=35&17=38&18=42&24=48&25=52&43=58&45=61&46=65'
    __file__ = 'models_init.py.jinja'
    return locals()


def _template_9(environment):
    name = 'py.typed.jinja'

    def root(context, missing=missing):
        resolve = context.resolve_or_missing
        undefined = environment.undefined
        concat = environment.concat
        cond_expr_undefined = Undefined
        if 0: yield None
        pass
        template = environment.get_template('_header.jinja', 'py.typed.jinja')
        gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
        try:
            for event in gen:
                yield event
        finally: gen.close()

    blocks = {}
    debug_info = '1=11'
    __file__ = 'py.typed.jinja'
    return locals()


def _template_10(environment):
    name = 'pyproject.toml.jinja'

    def root(context, missing=missing):
        resolve = context.resolve_or_missing
        undefined = environment.undefined
        concat = environment.concat
        cond_expr_undefined = Undefined
        if 0: yield None
        l_0_generator_version = resolve('generator_version')
        l_0_spec_name = resolve('spec_name')
        l_0_spec_sha256 = resolve('spec_sha256')
        l_0_dist_name = resolve('dist_name')
        l_0_version = resolve('version')
        l_0_description = resolve('description')
        l_0_runtime_dependency = resolve('runtime_dependency')
        l_0_package_path = resolve('package_path')
        pass
        yield '# Generated by generate-client '
        yield str((undefined(name='generator_version') if l_0_generator_version is missing else l_0_generator_version))
        yield ' from '
        yield str((undefined(name='spec_name') if l_0_spec_name is missing else l_0_spec_name))
        yield ' (sha256 '
        yield str((undefined(name='spec_sha256') if l_0_spec_sha256 is missing else l_0_spec_sha256))
        yield ').\n# Do not edit by hand: regenerate with `generate-client --dist`.\n[build-system]\nrequires = ["hatchling>=1.21"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = '
        yield str((undefined(name='dist_name') if l_0_dist_name is missing else l_0_dist_name))
        yield '\nversion = '
        yield str((undefined(name='version') if l_0_version is missing else l_0_version))
        yield '\ndescription = '
        yield str((undefined(name='description') if l_0_description is missing else l_0_description))
        yield '\nrequires-python = ">=3.11"\ndependencies = [\n    '
        yield str((undefined(name='runtime_dependency') if l_0_runtime_dependency is missing else l_0_runtime_dependency))
        yield ',\n]\n\n[project.optional-dependencies]\n# <package>.testing (typed mocks for your tests) runs on respx\ntesting = ["respx>=0.21"]\n\n[tool.hatch.build.targets.wheel]\npackages = ['
        yield str((undefined(name='package_path') if l_0_package_path is missing else l_0_package_path))
        yield ']\n'

    blocks = {}
    debug_info = '1=20&8=26&9=28&10=30&13=32&21=34'
    __file__ = 'pyproject.toml.jinja'
    return locals()


def _template_11(environment):
    name = 'testing.py.jinja'

    def root(context, missing=missing):
        resolve = context.resolve_or_missing
        undefined = environment.undefined
        concat = environment.concat
        cond_expr_undefined = Undefined
        if 0: yield None
        l_0_client = resolve('client')
        pass
        template = environment.get_template('_header.jinja', 'testing.py.jinja')
        gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
        try:
            for event in gen:
                yield event
        finally: gen.close()
        yield '"""Typed respx mocks of '
        yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'class_name'))
        yield ' for tests (needs respx).\n\n``with Mock'
        yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'class_name'))
        yield '() as mock: mock.<operation>.returns(model)`` or\n``.fails(503, times=2)``; the real client then talks to the mock (resilient_client.testing).\n"""\n\nfrom __future__ import annotations\n\n'
        for l_1_line in environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'stdlib_imports'):
            _loop_vars = {}
            pass
            yield str(l_1_line)
            yield '\n'
        l_1_line = missing
        yield 'from typing import '
        yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'typing_import'))
        yield '\n\n'
        if environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'plain_event_streams'):
            pass
            yield 'from resilient_client import EventStream\n'
        yield 'from resilient_client.testing import '
        yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'mock_import'))
        yield ', MockedOperation\n\nfrom . import _client'
        if environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'has_models'):
            pass
            yield ', models'
        yield '\n\n\nclass Mock'
        yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'class_name'))
        yield '('
        yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'mock_ref'))
        yield '):\n    """A respx mock of '
        yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'class_name'))
        yield ': one typed attribute per operation."""\n\n    default_base_url: ClassVar[str | None] = '
        yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'default_base_url'))
        yield '\n'
        for l_1_op in environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'operations'):
            _loop_vars = {}
            pass
            yield '\n    @property\n    def '
            yield str(environment.getattr(l_1_op, 'mock_name'))
            yield '(self) -> MockedOperation['
            yield str(environment.getattr(l_1_op, 'return_type'))
            yield ']:\n        return self._mocked(_client.'
            yield str(environment.getattr(l_1_op, 'const'))
            yield ')\n'
        l_1_op = missing

    blocks = {}
    debug_info = '1=12&2=19&4=21&10=23&11=26&13=30&15=32&18=36&20=38&24=42&25=46&27=48&28=50&31=54&32=58'
    __file__ = 'testing.py.jinja'
    return locals()


BUILDERS = {
    '__init__.py.jinja': _template_0,
    '_client.py.jinja': _template_1,
    '_events_method.jinja': _template_2,
    '_header.jinja': _template_3,
    '_iter_method.jinja': _template_4,
    '_stream_method.jinja': _template_5,
    '_sync_client.py.jinja': _template_6,
    'model_module.py.jinja': _template_7,
    'models_init.py.jinja': _template_8,
    'py.typed.jinja': _template_9,
    'pyproject.toml.jinja': _template_10,
    'testing.py.jinja': _template_11,
}
