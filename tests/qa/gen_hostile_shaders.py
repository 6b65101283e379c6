#!/usr/bin/env python3
"""gen_hostile_shaders.py OUTDIR — write the big hostile MSL sources (too
large to commit): deep nesting of every kind, huge token counts, long
identifiers, exponential macros, NUL bytes and random garbage."""
import os
import random
import sys

K = 'kernel void k(device float *o [[buffer(0)]])'
CASES = {
    'deep_parens': '#include <metal_stdlib>\nusing namespace metal;\n' + K + ' { o[0] = ' + '(' * 100000 + '1.0' + ')' * 100000 + '; }\n',
    'deep_parens_under_token_limit': K + ' { o[0] = ' + '(' * 5000 + '1.0' + ')' * 5000 + '; }\n',
    'deep_blocks': K + ' {' + '{' * 5000 + '}' * 5000 + '}\n',
    'deep_if': '#if 1\n' * 5000 + K + ' { o[0] = 1.0; }\n' + '#endif\n' * 5000,
    'deep_unary': 'kernel void k(device int *o [[buffer(0)]]) { o[0] = ' + '-' * 20000 + '1; }\n',
    'long_chain': K + ' { o[0] = ' + '+'.join(['1.0'] * 60000) + '; }\n',
    'deep_ternary': K + ' { o[0] = ' + '1.0 > 0.0 ? ' * 5000 + '1.0' + ' : 2.0' * 5000 + '; }\n',
    'deep_calls': ''.join('static float f%d(float x) { return %s; }\n' % (i, 'f%d(x) + 1.0' % (i - 1) if i else 'x') for i in range(3000)) + K + ' { o[0] = f2999(1.0); }\n',
    'deep_struct': ''.join('struct S%d { S%d m; };\n' % (i, i - 1) if i else 'struct S0 { float x; };\n' for i in range(3000)) + 'kernel void k(device S2999 *o [[buffer(0)]]) { }\n',
    'deep_index': K + ' { float a[4]; o[0] = ' + 'a[' * 3000 + '0' + ']' * 3000 + '; }\n',
    'deep_swizzle': 'fragment float4 f(float4 p [[position]]) { return p' + '.wzyx' * 20000 + '; }\n',
    'many_macros': ''.join('#define M%d M%d M%d\n' % (i + 1, i, i) for i in range(60)) + '#define M0 1\n' + K + ' { o[0] = M60; }\n',
    'many_functions': ''.join('static float g%d(float x) { return x * %d.0; }\n' % (i, i) for i in range(20000)) + K + ' { o[0] = g7(1.0); }\n',
    'long_ident': 'kernel void ' + 'k' * 1000000 + '(device float *o [[buffer(0)]]) { o[0] = 1.0; }\n',
    'long_line_comment': '//' + 'x' * 2000000 + '\n' + K + ' { o[0] = 1.0; }\n',
    'long_string': K + ' { o[0] = "' + 'x' * 100000 + '"; }\n',
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, text in CASES.items():
        with open(os.path.join(out, name + '.metal'), 'w') as f:
            f.write(text)
    rnd = random.Random(7)
    with open(os.path.join(out, 'garbage.metal'), 'wb') as f:
        f.write(bytes(rnd.randrange(256) for _ in range(100000)))
    with open(os.path.join(out, 'garbage_printable.metal'), 'w') as f:
        f.write(''.join(rnd.choice('{}()[];,.<>=+-*/&|!?:#"\' \n\tabcxyz019') for _ in range(200000)))
    with open(os.path.join(out, 'nul_bytes.metal'), 'wb') as f:
        f.write(K.encode() + b' { o[0] = 1.0;\x00\x00 }\n')


if __name__ == '__main__':
    main()
