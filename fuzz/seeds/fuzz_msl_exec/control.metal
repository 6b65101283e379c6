#include <metal_stdlib>
using namespace metal;

int collatz_steps(int n)
{
    int steps = 0;
    while (n != 1) {
        if (n % 2 == 0)
            n = n / 2;
        else
            n = 3 * n + 1;
        steps++;
        if (steps > 500)
            return -1;
    }
    return steps;
}

int first_divisor(int n)
{
    for (int d = 2; d < n; d++) {
        if (n % d == 0)
            return d;
    }
    return n;
}

kernel void divergent(device int *out [[buffer(0)]], uint tid [[thread_position_in_grid]])
{
    int n = int(tid) + 1;
    int r;
    if (n % 3 == 0) {
        r = 300;
    } else if (n % 3 == 1) {
        r = 100 + n;
    } else {
        r = -n;
    }
    out[tid * 4 + 0] = r;
    out[tid * 4 + 1] = collatz_steps(n);
    out[tid * 4 + 2] = first_divisor(n);
    int acc = 0;
    for (int i = 0; i < 10; i++) {
        if (i == n)
            break;
        if ((i & 1) == 1)
            continue;
        for (int j = 0; j < 4; j++) {
            if (j > i)
                break;
            acc += j;
        }
        acc += 100;
    }
    out[tid * 4 + 3] = acc;
}

kernel void loops(device int *out [[buffer(0)]], uint tid [[thread_position_in_grid]])
{
    int n = int(tid);
    int a = 0;
    do {
        a += 2;
    } while (a < n);
    int b = n;
    int c = 0;
    while (b > 0) {
        b -= 3;
        c++;
    }
    int early = 5;
    if (n > 20) {
        out[tid * 3 + 0] = -1;
        out[tid * 3 + 1] = -1;
        out[tid * 3 + 2] = -1;
        return;
    }
    out[tid * 3 + 0] = a;
    out[tid * 3 + 1] = c;
    out[tid * 3 + 2] = early + (n > 10 ? n : 0);
}

int bump(thread int &counter)
{
    counter += 1;
    return counter;
}

kernel void side_effects(device int *out [[buffer(0)]], uint tid [[thread_position_in_grid]])
{
    int n = int(tid);
    int counter = 0;
    bool a = (n % 2 == 0) && (bump(counter) > 0);   // bump only on even lanes
    bool b = (n % 3 == 0) || (bump(counter) > 100); // bump only when n % 3 != 0
    int t = n > 4 ? bump(counter) : counter;        // bump only when n > 4
    int x = n;
    int y = x++ + ++x;                              // n + (n + 2)
    x *= 2;
    x -= 1;
    x <<= 1;
    x |= 1;
    out[tid * 5 + 0] = counter;
    out[tid * 5 + 1] = (a ? 1 : 0) + (b ? 2 : 0);
    out[tid * 5 + 2] = t;
    out[tid * 5 + 3] = y;
    out[tid * 5 + 4] = x;
}

kernel void runaway(device int *out [[buffer(0)]], uint tid [[thread_position_in_grid]])
{
    int i = 0;
    while (true) {
        i++;
    }
    out[tid] = i;
}

// Three nested loops, each under the per-loop limit, together far past the
// per-batch budget: must stop, not run for hours.
kernel void nested_runaway(device int *out [[buffer(0)]], uint tid [[thread_position_in_grid]])
{
    int n = 0;
    for (int i = 0; i < 100000; i++)
        for (int j = 0; j < 100000; j++)
            for (int k = 0; k < 100000; k++)
                n += k;
    out[tid] = n;
}
