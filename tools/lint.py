#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""lint — the house rules of winnow (doc: ../shared/DESIGN.md) that a program can check.

Usage: tools/lint.py [SRCDIR]    (default: the tree this script lives in)

Prints one line per finding, `file:line: rule: text`, and exits 1 when there is any.  It reads the
files as text (comments and string literals blanked out, preprocessor lines set aside), so it needs
no build and no compiler, and runs in well under a second.  The rules:

  layering        an #include from a lower room to a higher one (ROOM_DEPENDS below, from DESIGN.md)
  lib-call        curl_*/sqlite3_*/mpv_* called outside the room that owns the library
  file-size       a file in src/ or include/ over MAX_FILE_LINES lines
  function-size   a function over MAX_FUNCTION_LINES lines (from its opening to its closing brace)
  prefix          an exported (non-static) function or variable without its module's prefix
  mutable-global  a file-scope variable that is not const, outside MUTABLE_ALLOWED (which says why)
  unchecked-write a store write function (store.h, lists.h) declared without
                  __attribute__((warn_unused_result))
  spdx            a source file without an SPDX-License-Identifier line near its top
"""
import os
import re
import sys

MAX_FILE_LINES = 800
MAX_FUNCTION_LINES = 150

# --- layering --------------------------------------------------------------------------------------
# The "depends on" column of DESIGN.md's table of rooms, closed over: a room may include its own
# headers and those of every room it depends on, directly or through another.
ROOM_DEPENDS = {
    'core': [],
    'net': ['core'],
    'sources': ['core'],
    'provenance': ['core'],
    'store': ['core'],
    'media': ['core'],
    'app': ['core', 'net', 'sources', 'provenance', 'store', 'media'],
    'ui': ['app', 'media'],
    'cli': ['app'],
}
# Includes between rooms on the same level that the plan does not list, each with its reason.  A
# lower room including a higher one is never allowed.
SIBLING_ALLOWED = {
    ('media', 'net'): 'thumbq fetches thumbnails with the session\'s one fetcher (DESIGN: "one '
                      'fetcher (feeds, thumbnails and media heads share it)")',
    ('cli', 'ui'): 'the help and man page list the reader\'s actions and settings from ui.h\'s tables',
}
# The room of each public header (include/*.h).  A new header must be added here.
HEADER_ROOM = {
    'util.h': 'core', 'text.h': 'core', 'date.h': 'core', 'item.h': 'core', 'config.h': 'core',
    'workq.h': 'core',
    'fetch.h': 'net',
    'source.h': 'sources', 'html.h': 'sources',
    'prov.h': 'provenance',
    'store.h': 'store', 'lists.h': 'store',
    'image.h': 'media', 'thumb.h': 'media', 'thumbq.h': 'media', 'player.h': 'media',
    'player_dl.h': 'media',
    'app.h': 'app', 'login.h': 'app', 'ytdlp.h': 'app',
    'ui.h': 'ui',
    'cli.h': 'cli',
}

# --- library calls ----------------------------------------------------------------------------------
# Which files may call a library's functions: path prefixes relative to the tree.
LIB_ROOMS = {
    'curl': ('src/net/',),
    'sqlite3': ('src/store/',),
    'mpv': ('src/media/player.c', 'src/media/mpv_dl.c'),
}

# --- prefixes ---------------------------------------------------------------------------------------
# The names a file may export: a list of prefixes (ending in '_') or whole names.  The first entry
# whose path matches (a file, or a folder ending in '/') applies.  Names stay out of each other's
# way: the room's prefix, or a module's own name that no other room uses.
PREFIXES = [
    ('src/core/util.c', ['arena_', 'sb_', 'error_', 'atomic_file_', 'xmalloc', 'xcalloc', 'xrealloc',
                         'xstrdup', 'mkdir_p', 'now_ms', 'read_file', 'write_all', 'hash_']),
    ('src/core/text.c', ['text_', 'utf8_', 'cp_width']),
    ('src/core/config.c', ['config_']),
    ('src/core/date.c', ['date_']),
    ('src/core/item.c', ['item_']),
    ('src/core/workq.c', ['workq_']),
    ('src/net/', ['fetch_']),
    ('src/sources/apiutil.c', ['api_', 'aurl_']),
    ('src/sources/charset.c', ['charset_']),
    ('src/sources/xmlprep.c', ['xmlprep_']),
    ('src/sources/feed_xml', ['fx_', 'feed_']),          # feed_xml.c, feed_xml_item.c, feed_xml_ns.c
    ('src/sources/feedutil.c', ['feed_']),
    ('src/sources/jsonfeed.c', ['feed_']),
    ('src/sources/html.c', ['html_']),
    ('src/sources/url.c', ['url_']),
    ('src/sources/platforms.c', ['ai_platform_']),
    ('src/sources/', ['source_']),
    ('src/provenance/cborx.c', ['cbx_']),
    ('src/provenance/jumbf.c', ['jumbf_', 'prov_']),
    ('src/provenance/', ['prov_']),
    ('src/store/lists', ['lists_', 'li_', 'store_']),   # lists.c, lists_undo.c, lists_rules.c
    ('src/store/', ['store_']),
    # mpv_dl.c and avif_dl.c define the libraries' own functions, forwarding to them once loaded
    ('src/media/mpv_dl.c', ['player_dl_', 'mpv_']),
    ('src/media/avif_dl.c', ['avif*']),
    ('src/media/image', ['image_', 'img_']),
    ('src/media/thumbq_disk.c', ['tdisk_']),
    ('src/media/thumbq', ['thumbq_']),
    ('src/media/thumb', ['thumb_']),
    ('src/media/player', ['player_']),
    ('src/app/credentials.c', ['cred_']),
    ('src/app/export.c', ['export_', 'list_format_']),
    ('src/app/import.c', ['app_', 'opml_']),
    ('src/app/scanq.c', ['scanq_']),
    ('src/app/ytdlp.c', ['app_', 'ytdlp_', 'source_ytdlp']),
    ('src/app/', ['app_']),
    ('src/ui/keymap.c', ['ui_', 'keymap_']),
    ('src/ui/theme', ['ui_', 'theme_']),                 # theme.c, themes_builtin.c
    # the reader's (curses) half of player.h's terminal handoff to mpv
    ('src/ui/player_term.c', ['player_term_']),
    ('src/ui/', ['ui_']),
    ('src/cli/main.c', ['cli_', 'cmd_', 'main']),
    ('src/cli/', ['cli_', 'cmd_']),
]

# --- file-scope state -------------------------------------------------------------------------------
# (file, variable): why it is state that outlives a call.
MUTABLE_ALLOWED = {
    ('src/net/fetch.c', 'global_once'): 'curl_global_init runs once per process',
    ('src/net/fetch.c', 'global_rc'): "curl_global_init's result, kept for every fetcher",
    ('src/net/fetch.c', 'version_line'): 'fetch_version formats it once',
    ('src/ui/ui.c', 'sig_fd'): 'the signal handlers write to the self-pipe',
    ('src/ui/ui.c', 'got_winch'): 'signal flag',
    ('src/ui/ui.c', 'got_quit'): 'signal flag',
    ('src/ui/theme.c', 'el_attr'): "the active theme's attributes, read by every draw call",
    ('src/ui/theme.c', 'el_pair'): "the active theme's colour pairs, read by every draw call",
    ('src/ui/draw.c', 'ascii_only'): "the terminal's charset, set once at start",
    ('src/media/mpv_dl.c', 'lib'): 'dlopen handle',
    ('src/media/mpv_dl.c', 'load_error'): "dlopen's error, for the user",
    ('src/media/mpv_dl.c', 'once'): 'libmpv is loaded once per process',
    ('src/media/avif_dl.c', 'lib'): 'dlopen handle',
    ('src/media/avif_dl.c', 'once'): 'libavif is loaded once per process',
    ('src/cli/out.c', 'filters'): "the stdout/stderr filters' state between writes",
    ('src/cli/out.c', 'filtered'): 'the streams the filters replace',
    ('src/sources/registry.c', 'options'): "the sources' settings, set once from the config",
    ('src/store/lists_rules.c', 'prov_fn'): "the provenance callback the rules' badge test calls",
    ('src/store/lists_rules.c', 'prov_user'): "the provenance callback's data",
    ('src/core/config.c', 'keys'): 'config_keys builds the NULL-ended list of keys once',
    ('src/provenance/hash.c', 'mapped'): "per-thread: the file being hashed, for the SIGBUS handler",
    ('src/provenance/hash.c', 'mapped_len'): 'per-thread: its length',
}

# --- store writes -----------------------------------------------------------------------------------
# A store function that changes the database, by name: its result must not be dropped.
# (include/lists.h is the store's too: src/store/lists*.c.)
STORE_HEADERS = re.compile(r'^include/(store[^/]*|lists)\.h$')
STORE_WRITE = re.compile(r'^store_\w*?_(add|remove|delete|failed|unchanged|commit|set|set_\w+|merge_\w+|'
                         r'mark_\w+|put|forget_\w+)$|^store_purge_\w+$|'
                         r'^lists_(create|rename|delete|add|remove|move|move_by|set_\w+|undo|import|'
                         r'apply_rules(_since)?)$')

# --- SPDX -------------------------------------------------------------------------------------------
SPDX_DIRS = ('src', 'include', 'tests', 'bench', 'tools', 'doc', 'data/demo', 'themes', '.ci')
SPDX_TOP = ('Makefile.am', 'configure.ac', 'bootstrap')
SPDX_EXT = ('.c', '.h', '.sh', '.py', '.mjs', '.mk', '.am', '.def')
SPDX_SKIP = ('tests/feeds/', 'tests/fuzz/regressions/')
SPDX_LINES = 5

# ----------------------------------------------------------------------------------------------------

findings = []
scanned = set()          # the files check_c read
mutable_seen = set()     # (file, variable) of every file-scope variable found


def report(path, line, rule, text):
    findings.append((path, line, rule, text))


LEXEMES = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"?|\'(?:\\.|[^\'\\\n])*\'?', re.S)
NOT_NL = re.compile(r'[^\n]')


def blank_code(text):
    """The text with comments, string and character literals replaced by spaces (newlines kept:
    an unterminated literal ends at its line), and the set of line numbers that belong to
    preprocessor directives (with their continuation lines)."""
    def blank(m):
        t = m.group(0)
        if t[0] in '"\'':
            return t[0] + NOT_NL.sub(' ', t[1:])
        return NOT_NL.sub(' ', t)
    code = LEXEMES.sub(blank, text)
    pp_lines = set()
    cont = False
    for k, line in enumerate(code.split('\n'), 1):
        if cont or line.lstrip().startswith('#'):
            pp_lines.add(k)
            cont = line.rstrip().endswith('\\')
    return code, pp_lines


def strip_pp(code, pp_lines):
    lines = code.split('\n')
    return '\n'.join('' if (k + 1) in pp_lines else l for k, l in enumerate(lines))


ATTR = re.compile(r'__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)')
IDENT = re.compile(r'[A-Za-z_]\w*')


def top_level(code):
    """Yields the file-scope statements of C code (preprocessor lines already blanked) as
    (kind, text, first_line, brace_line, last_line): kind 'func' for a function definition (text
    is its head; brace_line and last_line are those of its body's braces), 'decl' for a
    declaration ending in ';' (bodies of struct, enum and initialisers replaced by {})."""
    i, n = 0, len(code)
    line = 1
    stmt, stmt_line = [], None
    paren = 0
    while i < n:
        c = code[i]
        if c == '\n':
            line += 1
            stmt.append(c)
            i += 1
            # a macro call standing alone at file scope (FWD(...) in mpv_dl.c) ends at its line
            if paren == 0 and stmt_line is not None:
                s = ''.join(stmt).strip()
                if re.fullmatch(r'[A-Z][A-Z0-9_]*\s*\(.*\)', s, re.S):
                    rest = code[i:].lstrip()
                    if not rest.startswith(('{', ';', '__attribute__')):
                        stmt, stmt_line = [], None
            continue
        if stmt_line is None and not c.isspace():
            stmt_line = line
        if c == '(':
            paren += 1
        elif c == ')':
            paren -= 1
        if c == '{' and paren == 0:
            head = ''.join(stmt)
            # find the matching brace
            depth, j, body_start = 0, i, line
            while j < n:
                if code[j] == '{':
                    depth += 1
                elif code[j] == '}':
                    depth -= 1
                    if depth == 0:
                        break
                elif code[j] == '\n':
                    line += 1
                j += 1
            h = ATTR.sub('', head).strip()
            if h.endswith(')') and '=' not in h.split('(')[0] and not re.match(r'(typedef\b|.*=\s*$)', h):
                yield ('func', head, stmt_line, body_start, line)
                stmt, stmt_line = [], None
            else:
                stmt.append('{}')
            i = j + 1
            continue
        if c == ';' and paren == 0:
            yield ('decl', ''.join(stmt), stmt_line, stmt_line, line)
            stmt, stmt_line = [], None
            i += 1
            continue
        stmt.append(c)
        i += 1


def split_top(s, sep):
    parts, depth, cur = [], 0, []
    for ch in s:
        if ch in '([{':
            depth += 1
        elif ch in ')]}':
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(''.join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append(''.join(cur))
    return parts


def func_name(head):
    h = ATTR.sub('', head)
    k = h.find('(')
    names = IDENT.findall(h[:k])
    return names[-1] if names else None


KEYWORDS = {'static', 'const', 'volatile', 'extern', 'struct', 'union', 'enum', 'unsigned', 'signed',
            'int', 'char', 'long', 'short', 'double', 'float', 'void', '_Bool', '__thread', 'inline',
            '_Thread_local', 'register', 'restrict'}


def declared_vars(text):
    """(name, is_const, specifiers) for each variable a file-scope declaration defines; [] for
    typedefs, prototypes and bare struct/union/enum declarations."""
    t = ATTR.sub('', text).strip()
    if not t or re.match(r'(typedef|_Static_assert|static_assert)\b', t):
        return []
    t = re.sub(r'\b(struct|union|enum)\s*\{\}', r'\1 anonymous_', t).replace('{}', ' ')
    out, specs = [], ''
    for k, d in enumerate(split_top(t, ',')):
        d = split_top(d, '=')[0]
        d = re.sub(r'\[[^\]]*\]', '[]', d)
        if re.search(r'\)\s*\(', d) or ('(' in d and not re.search(r'\(\s*\*', d)):
            return []   # a prototype, or a pointer to a function (rare, not checked)
        d = re.sub(r'\b(struct|union|enum)\s+[A-Za-z_]\w*', r'\1', d)
        names = [(m.start(), m.group(0)) for m in IDENT.finditer(d) if m.group(0) not in KEYWORDS]
        if not names:
            continue
        pos, name = names[-1] if k == 0 else names[0]
        if k == 0:
            specs = d[:pos]
            between = specs
        else:
            between = d[:pos]
        stars = between.rfind('*')
        if stars >= 0:
            is_const = bool(re.match(r'\s*const\b', between[stars + 1:]))
        else:
            is_const = bool(re.search(r'\bconst\b', specs))
        out.append((name, is_const, specs))
    return out


def room_of(path):
    parts = path.split('/')
    if parts[0] == 'src' and len(parts) > 2:
        return parts[1]
    if parts[0] == 'include':
        return HEADER_ROOM.get(parts[-1])
    return None


def closure():
    dep = {}
    for r in ROOM_DEPENDS:
        seen, todo = set(), list(ROOM_DEPENDS[r])
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(ROOM_DEPENDS[x])
        dep[r] = seen
    return dep


DEPS = closure()


def check_includes(root, path, text):
    room = room_of(path)
    if path.startswith('include/') and room is None:
        report(path, 1, 'layering', 'header has no room in tools/lint.py HEADER_ROOM')
        return
    if room is None:
        return
    for ln, l in enumerate(text.split('\n'), 1):
        m = re.match(r'\s*#\s*include\s+"([^"]+)"', l)
        if not m:
            continue
        name = m.group(1)
        here = os.path.join(os.path.dirname(path), name)
        if os.path.exists(os.path.join(root, here)):
            target = room_of(here) if not here.startswith('include/') else HEADER_ROOM.get(name)
        elif name in HEADER_ROOM:
            target = HEADER_ROOM[name]
        else:
            report(path, ln, 'layering', f'"{name}" has no room in tools/lint.py HEADER_ROOM')
            continue
        if target is None or target == room or target in DEPS[room]:
            continue
        if (room, target) in SIBLING_ALLOWED:
            continue
        if room in DEPS[target]:
            report(path, ln, 'layering', f'{room} includes "{name}" of {target}, a room above it')
        else:
            report(path, ln, 'layering', f'{room} includes "{name}" of {target}, a room it does not '
                   'depend on (DESIGN.md; or list it in SIBLING_ALLOWED with why)')


def check_c(root, path, text):
    scanned.add(path)
    code, pp = blank_code(text)
    nlines = text.count('\n') + (0 if text.endswith('\n') else 1)
    in_src = path.startswith('src/')
    if (in_src or path.startswith('include/')) and nlines > MAX_FILE_LINES:
        report(path, MAX_FILE_LINES + 1, 'file-size', f'{nlines} lines, over {MAX_FILE_LINES}: '
               'split it into rooms with one purpose each')
    check_includes(root, path, text)
    if in_src:
        for m in re.finditer(r'\b(curl|sqlite3|mpv)_\w+(?=\s*\()', code):
            lib = m.group(1)
            if not path.startswith(LIB_ROOMS[lib]):
                ln = code.count('\n', 0, m.start()) + 1
                if ln in pp:
                    continue
                report(path, ln, 'lib-call', f'{m.group(0)}() outside {", ".join(LIB_ROOMS[lib])}')
    body = strip_pp(code, pp)
    is_header = path.endswith('.h')
    prefixes = None
    if in_src and path.endswith('.c'):
        for p, names in PREFIXES:
            if path == p or path.startswith(p):
                prefixes = names
                break
        else:
            report(path, 1, 'prefix', 'no entry for this file in tools/lint.py PREFIXES')
    for kind, head, first, brace, last in top_level(body):
        if kind == 'func':
            name = func_name(head) or '?'
            if in_src and last - brace + 1 > MAX_FUNCTION_LINES:
                report(path, first, 'function-size', f'{name}() is {last - brace + 1} lines, over '
                       f'{MAX_FUNCTION_LINES}')
            static = re.search(r'\bstatic\b', head)
            if prefixes is not None and not static and not ok_prefix(name, prefixes):
                report(path, first, 'prefix', f'{name}() is exported without a prefix of its module '
                       f'({" ".join(prefixes)})')
            continue
        if STORE_HEADERS.match(path) and '(' in head:
            name = func_name(head)
            ret = head[:head.find('(')]
            if name and STORE_WRITE.match(name) and re.search(r'\b(int|int64_t)\b', ret) and \
                    'warn_unused_result' not in head:
                ln = first + head[:head.find(name)].count('\n') - head[:len(head) - len(head.lstrip())].count('\n')
                report(path, ln, 'unchecked-write', f'{name}() writes the store: declare it '
                       '__attribute__((warn_unused_result))')
            continue
        if not in_src:
            continue
        for name, is_const, specs in declared_vars(head):
            extern = re.search(r'\bextern\b', specs)
            if extern:
                continue
            mutable_seen.add((path, name))
            ln = first
            static = re.search(r'\bstatic\b', specs)
            if not is_const and (path, name) not in MUTABLE_ALLOWED:
                report(path, ln, 'mutable-global', f'{name} is file-scope state: make it const, '
                       'move it into a struct, or list it in MUTABLE_ALLOWED with why')
            if prefixes is not None and not static and not is_header and not ok_prefix(name, prefixes):
                report(path, ln, 'prefix', f'{name} is exported without a prefix of its module '
                       f'({" ".join(prefixes)})')


def ok_prefix(name, prefixes):
    for p in prefixes:
        if p.endswith(('_', '*')) and name.startswith(p.rstrip('*')) or name == p:
            return True
    return False


def check_spdx(path, text):
    head = text.split('\n')[:SPDX_LINES]
    if not any('SPDX-License-Identifier:' in l for l in head):
        report(path, 1, 'spdx', f'no SPDX-License-Identifier line in the first {SPDX_LINES} lines')


def wants_spdx(path):
    if path.startswith(SPDX_SKIP):
        return False
    if path in SPDX_TOP:
        return True
    if not path.startswith(tuple(d + '/' for d in SPDX_DIRS)):
        return False
    base = os.path.basename(path)
    return base.endswith(SPDX_EXT) or path == '.ci/run'


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = []
    for top in SPDX_DIRS + ('.',):
        d = os.path.join(root, top)
        if not os.path.isdir(d):
            continue
        if top == '.':
            files += [f for f in SPDX_TOP if os.path.isfile(os.path.join(root, f))]
            continue
        for dp, dns, fns in os.walk(d):
            # build products: make bench builds newsraft under bench/peers of the build directory
            # and make fuzz-run's corpora (copies of fixture seeds), logs and crashes under tests/fuzz
            fuzz = os.path.relpath(dp, root) == os.path.join('tests', 'fuzz')
            dns[:] = sorted(x for x in dns if not x.startswith('.') and x not in ('.deps', 'out', 'peers') and
                            not (fuzz and (x in ('corpus', 'long', 'logs') or x.startswith('crashes-'))))
            for f in sorted(fns):
                files.append(os.path.relpath(os.path.join(dp, f), root))
    for path in files:
        spdx = wants_spdx(path)
        c = path.startswith(('src/', 'include/')) and path.endswith(('.c', '.h'))
        if not spdx and not c:
            continue
        try:
            with open(os.path.join(root, path), encoding='utf-8', errors='replace') as fh:
                text = fh.read()
        except OSError:
            continue
        if spdx:
            check_spdx(path, text)
        if c:
            check_c(root, path, text)
    # an allowance for state that is gone goes too, so that the list stays the list of what is there
    for (path, name), why in MUTABLE_ALLOWED.items():
        if path in scanned and (path, name) not in mutable_seen:
            report(path, 1, 'mutable-global', f'MUTABLE_ALLOWED lists {name}, which is not here any more')
    for f in sorted(findings):
        print(f'{f[0]}:{f[1]}: {f[2]}: {f[3]}')
    if findings:
        print(f'lint: {len(findings)} finding(s)', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
