package io.etcdj.etcdctl.command;

import io.etcdj.etcdctl.print.GoCobraFrames;
import java.nio.charset.StandardCharsets;

/**
 * etcdctl 3.4 crashes (Go panic, exit 2) on two kinds of txn compare lines instead of refusing
 * them: an operator other than {@code = != < >} ("Unknown result op", for every target), and any
 * {@code lease(...)} compare with a valid operator ("bad value": it hands the value on as a string
 * where a number is required). This is that crash's text. What Go prints of the half-built compare
 * is kept: result and target codes, the key's length and capacity (the byte slice's allocation size
 * class), the line's length; pointers differ from run to run in Go as well.
 */
final class TxnComparePanic {
    /** Go's small-object size classes: a converted []byte's capacity is its length rounded up to one. */
    private static final int[] SIZE_CLASSES = {8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208,
            224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408,
            1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472,
            9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768};

    private TxnComparePanic() {}

    /** The trace for an unknown operator; {@code target} is the compare's target code (VERSION 0 .. LEASE 4). */
    static String unknownOp(int target, String key, String line) {
        return "panic: Unknown result op\n\ngoroutine 1 [running]:\n"
                + compareFrame(0, target, key) + "\tgo.etcd.io/etcd/clientv3/compare.go:46 +0x3f1\n"
                + callers(target, line);
    }

    /** The trace for a lease compare with operator code {@code result} (EQUAL 0 .. NOT_EQUAL 3). */
    static String leaseBadValue(int result, String line) {
        return "panic: bad value\n\ngoroutine 1 [running]:\n"
                + "go.etcd.io/etcd/clientv3.mustInt64(...)\n\tgo.etcd.io/etcd/clientv3/compare.go:130\n"
                + "go.etcd.io/etcd/clientv3.mustInt64orLeaseID(...)\n\tgo.etcd.io/etcd/clientv3/compare.go:139\n"
                + compareFrame(result, 4, "") + "\tgo.etcd.io/etcd/clientv3/compare.go:64 +0x385\n"
                + callers(4, line);
    }

    private static String compareFrame(int result, int target, String key) {
        int len = key.getBytes(StandardCharsets.UTF_8).length;
        // a lease compare carries no key yet; an empty key is Go's zero-size allocation
        String keySlice = target == 4 ? "{0x0, 0x0, 0x0}"
                : len == 0 ? "{0x1492a88, 0x0, 0x0}"
                : "{0xc00003bad8, " + hex(len) + ", " + hex(capacity(len)) + "}";
        return "go.etcd.io/etcd/clientv3.Compare({" + hex(result) + ", " + hex(target) + ", " + keySlice
                + ", {0x0, 0x0}, {0x0, 0x0, 0x0}}, ...)\n";
    }

    /** parseCompare (at the target's case), readCompares, txnCommandFunc, then cobra down to main. */
    private static String callers(int target, String line) {
        String at = switch (target) {
            case 0 -> "184 +0xb27";
            case 1 -> "188 +0x928";
            case 2 -> "192 +0x408";
            case 3 -> "195 +0x738";
            default -> "197 +0x585";
        };
        return "go.etcd.io/etcd/etcdctl/ctlv3/command.parseCompare({0xc00003cab0, "
                + hex(line.getBytes(StandardCharsets.UTF_8).length) + "})\n"
                + "\tgo.etcd.io/etcd/etcdctl/ctlv3/command/txn_command.go:" + at + "\n"
                + "go.etcd.io/etcd/etcdctl/ctlv3/command.readCompares(0xc0002539b0?)\n"
                + "\tgo.etcd.io/etcd/etcdctl/ctlv3/command/txn_command.go:87 +0xa5\n"
                + "go.etcd.io/etcd/etcdctl/ctlv3/command.txnCommandFunc(0xc0002b4900?, {0x1492a88?, 0x0?, 0x0?})\n"
                + "\tgo.etcd.io/etcd/etcdctl/ctlv3/command/txn_command.go:54 +0x1f2\n"
                + GoCobraFrames.fromExecute("0xc0002b4900", "{0x1492a88, 0x0, 0x0}");
    }

    private static int capacity(int len) {
        for (int c : SIZE_CLASSES) {
            if (len <= c) {
                return c;
            }
        }
        return (len + 8191) / 8192 * 8192;
    }

    private static String hex(long n) {
        return "0x" + Long.toHexString(n);
    }
}
