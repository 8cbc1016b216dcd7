package io.aegis.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSanitizerTest {

    @Test
    void colourAndCursorSequencesAreStripped() {
        assertThat(LogSanitizer.sanitize("\u001B[1;31mError\u001B[0m: bad \u001B[2K\u001B[1Gline"))
                .isEqualTo("Error: bad line");
    }

    @Test
    void oscTitlesAndHyperlinksAreStrippedButTheirTextStays() {
        assertThat(LogSanitizer.sanitize("\u001B]0;my title\u0007done")).isEqualTo("done");
        assertThat(LogSanitizer.sanitize("see \u001B]8;;http://x\u001B\\link\u001B]8;;\u001B\\ here"))
                .isEqualTo("see link here");
    }

    @Test
    void controlCharactersGoButTabsStay() {
        assertThat(LogSanitizer.sanitize("a\u0000b\rc\td\u0008")).isEqualTo("abc\td");
    }

    @Test
    void secretsAreMasked() {
        assertThat(LogSanitizer.sanitize("Authorization: Bearer eyJhbGciOi.abc.def"))
                .isEqualTo("Authorization: Bearer ***").doesNotContain("eyJ");
        assertThat(LogSanitizer.sanitize("fetching https://user:hunter2@db.example.org/x"))
                .isEqualTo("fetching https://user:***@db.example.org/x");
        assertThat(LogSanitizer.sanitize("GET https://acct.blob.core.windows.net/c/f?sv=2020&sig=abc%2Bdef&se=1"))
                .contains("sig=***").doesNotContain("abc%2Bdef").contains("se=1");
        assertThat(LogSanitizer.sanitize("key AKIAIOSFODNN7EXAMPLE used")).isEqualTo("key *** used");
        assertThat(LogSanitizer.sanitize("password=s3cret token: 'abc def' api_key=XYZ"))
                .isEqualTo("password=*** token: *** api_key=***");
    }

    @Test
    void eightBitEscapesAndOtherEscapeSequencesAreStripped() {
        assertThat(LogSanitizer.sanitize("\u009B31mred\u009B0m \u001B(Bplain\u001B7 \u009D0;title\u009Cend"))
                .isEqualTo("red plain end");
        assertThat(LogSanitizer.sanitize("a\u001BP1$r0m\u001B\\b")).isEqualTo("ab");
    }

    @Test
    void c1ControlCharactersAndDeleteGo() {
        assertThat(LogSanitizer.sanitize("x\u0085y\u007Fz\u009Fw")).isEqualTo("xyzw");
    }

    @Test
    void aCarriageReturnCannotHideASecretBehindLaterText() {
        assertThat(LogSanitizer.sanitize("password=hunter2\rlooks harmless"))
                .isEqualTo("password=*** harmless");
    }

    @Test
    void secretAndTokenValuesAreMaskedWhateverTheirQuoting() {
        assertThat(LogSanitizer.sanitize("secret=abc123 next")).isEqualTo("secret=*** next");
        assertThat(LogSanitizer.sanitize("TOKEN = \"a b c\" done")).isEqualTo("TOKEN = *** done");
        assertThat(LogSanitizer.sanitize("url?a=1&token=xyz&b=2")).isEqualTo("url?a=1&token=***&b=2");
        assertThat(LogSanitizer.sanitize("access_token: q1w2e3")).isEqualTo("access_token: ***");
    }

    @Test
    void basicCredentialsAndSignaturesAtTheStartAreMasked() {
        assertThat(LogSanitizer.sanitize("Authorization: Basic dXNlcjpwYXNz")).isEqualTo("Authorization: Basic ***");
        assertThat(LogSanitizer.sanitize("sig=abcdef&sp=r")).isEqualTo("sig=***&sp=r");
        assertThat(LogSanitizer.sanitize("s3://ASIAABCDEFGHIJKLMNOP:x@bucket"))
                .doesNotContain("ASIAABCDEFGHIJKLMNOP").doesNotContain(":x@");
    }

    @Test
    void environmentStyleSecretsAreMaskedWhateverTheirPrefix() {
        assertThat(LogSanitizer.sanitize("AEGIS_IDENTITY_TOKEN_SECRET=0123456789abcdef AEGIS_DB_PASSWORD='pw d' x=1"))
                .isEqualTo("AEGIS_IDENTITY_TOKEN_SECRET=*** AEGIS_DB_PASSWORD=*** x=1");
        assertThat(LogSanitizer.sanitize("AEGIS_INTERNAL_KEY=0123456789abcdef signing.key: abc keyword=blastp"))
                .isEqualTo("AEGIS_INTERNAL_KEY=*** signing.key: *** keyword=blastp");
        assertThat(LogSanitizer.sanitize("client.secret: abc KAFKA_SASL_JAAS_CONFIG=x aws_credentials=AAA"))
                .isEqualTo("client.secret: *** KAFKA_SASL_JAAS_CONFIG=x aws_credentials=***");
        assertThat(LogSanitizer.sanitize("Query= Q0001 length=120 evalue=1e-5")).isEqualTo("Query= Q0001 length=120 evalue=1e-5");
        assertThat(LogSanitizer.sanitize("tool --db-password=hunter2 -x.secret=abc ?token=t1"))
                .isEqualTo("tool --db-password=*** -x.secret=*** ?token=***");
    }

    @Test
    void aBareJsonWebTokenIsMasked() {
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";
        assertThat(LogSanitizer.sanitize("curl -H x " + jwt + " done")).isEqualTo("curl -H x *** done");
    }

    @Test
    void aPasswordInAUrlIsMasked() {
        assertThat(LogSanitizer.sanitize("connecting to postgresql://aegis:hunter2@db:5432/aegis"))
                .isEqualTo("connecting to postgresql://aegis:***@db:5432/aegis");
    }

    @Test
    void aNullLineBecomesEmpty() {
        assertThat(LogSanitizer.sanitize(null)).isEmpty();
    }

    @Test
    void ordinaryBlastOutputIsLeftAlone() {
        String line = "Warning: [blastp] Query_1 T01: Could not calculate ungapped Karlin-Altschul parameters";
        assertThat(LogSanitizer.sanitize(line)).isEqualTo(line);
    }

    @Test
    void hugeLinesAreCut() {
        assertThat(LogSanitizer.sanitize("x".repeat(10_000))).hasSize(LogSanitizer.MAX_LENGTH + 1).endsWith("…");
    }
}
