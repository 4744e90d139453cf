package dev.tokenauthority.sidecar.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.IdHasher;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.bouncycastle.crypto.macs.SipHash;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.Pack;
import org.junit.jupiter.api.Test;

class IdHasherTest {

    @Test
    void isSipHash24OfTheUtf16LittleEndianEncodingForEveryTailLength() {
        long k0 = 0x0706050403020100L;
        long k1 = 0x0F0E0D0C0B0A0908L;
        IdHasher hasher = new IdHasher(k0, k1);
        for (String id : new String[] {"", "a", "ab", "abc", "abcd", "abcde", "at_Q1w2E3r4T5y6U7i8O9p0Aa",
                "ses_Z9x8C7v6B5n4M3l2K1j0Hh", "us\u00e9r-\ud83d\ude00"}) {
            assertThat(hasher.hash(id)).as(id).isEqualTo(bouncyCastleSipHash(k0, k1, id));
        }
    }

    @Test
    void neverProducesTheTableSentinels() {
        Set<Long> seen = new HashSet<>();
        IdHasher hasher = IdHasher.random();
        for (int i = 0; i < 100_000; i++) {
            long hash = hasher.hash("at_" + i);
            assertThat(hash).isNotIn(HashedIdTable.EMPTY, HashedIdTable.DELETED);
            seen.add(hash);
        }
        assertThat(seen).hasSize(100_000);
    }

    @Test
    void aKeySentOnTheWireGivesTheSameHashes() {
        IdHasher sender = IdHasher.random();
        IdHasher receiver = IdHasher.fromKey(sender.key());
        assertThat(receiver.hash("ses_1")).isEqualTo(sender.hash("ses_1"));
        assertThat(IdHasher.fromKey(new IdHasher(0x0706050403020100L, 0x0F0E0D0C0B0A0908L).key()).hash("x"))
                .isEqualTo(bouncyCastleSipHash(0x0706050403020100L, 0x0F0E0D0C0B0A0908L, "x"));
        assertThat(IdHasher.random().hash("ses_1")).isNotEqualTo(sender.hash("ses_1"));
    }

    @Test
    void refusesAKeyOfTheWrongLength() {
        assertThatThrownBy(() -> IdHasher.fromKey(new byte[15])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 bytes");
    }

    private static long bouncyCastleSipHash(long k0, long k1, String id) {
        byte[] key = new byte[16];
        Pack.longToLittleEndian(k0, key, 0);
        Pack.longToLittleEndian(k1, key, 8);
        SipHash mac = new SipHash(2, 4);
        mac.init(new KeyParameter(key));
        byte[] input = id.getBytes(StandardCharsets.UTF_16LE);
        mac.update(input, 0, input.length);
        return mac.doFinal();
    }
}
