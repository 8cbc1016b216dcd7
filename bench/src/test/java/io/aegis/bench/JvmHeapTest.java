package io.aegis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JvmHeapTest {

    @Test
    void theParallelCollectorsGenerationsAreAddedUpAndTheirSpacesNotCountedTwice() {
        String info = """
                27182:
                PSYoungGen      total 18944K, used 8995K [0x00000000feb00000, 0x0000000100000000, 0x0000000100000000)
                 eden space 16384K, 39% used [0x00000000feb00000,0x00000000ff14ce10,0x00000000ffb00000)
                 from space 2560K, 99% used [0x00000000ffb00000,0x00000000ffd7c070,0x00000000ffd80000)
                 to   space 2560K, 0% used [0x00000000ffd80000,0x00000000ffd80000,0x0000000100000000)
                ParOldGen       total 44032K, used 1818K [0x00000000fc000000, 0x00000000feb00000, 0x00000000feb00000)
                 object space 44032K, 4% used [0x00000000fc000000,0x00000000fc1c6ad8,0x00000000feb00000)
                 Metaspace       used 61234K, committed 61888K, reserved 1114112K
                """;
        assertThat(JvmHeap.used(info)).hasValue((8995 + 1818) * 1024.0);
    }

    @Test
    void theSerialAndG1CollectorsAreReadToo() {
        String serial = """
                DefNew     total 19648K, used 7388K [0x00000000fc000000, 0x00000000fd550000, 0x00000000fd550000)
                 eden space 17472K,  29% used [0x00000000fc000000, 0x00000000fc5171a8, 0x00000000fd110000)
                Tenured    total 43712K, used 2358K [0x00000000fd550000, 0x0000000100000000, 0x0000000100000000)
                """;
        String g1 = """
                garbage-first heap   total reserved 65536K, committed 65536K, used 12277K [0x00000000fc000000, 0x0000000100000000)
                 region size 1024K, 10 young (10240K), 2 survivors (2048K)
                """;
        assertThat(JvmHeap.used(serial)).hasValue((7388 + 2358) * 1024.0);
        assertThat(JvmHeap.used(g1)).hasValue(12277 * 1024.0);
        assertThat(JvmHeap.used("27182:\nNo such process\n")).isEmpty();
    }
}
