package io.aegis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrometheusScrapeTest {

    @Test
    void aSampleWithAnExemplarReadsAsItsOwnValue() {
        PrometheusScrape scrape = PrometheusScrape.parse("""
                # TYPE postgresql_processing_seconds_count counter
                postgresql_processing_seconds_count{clientName="<default>",clientType="sql"} 72.0 \
                # {span_id="aaed61710430d221",trace_id="b9623459fb9d076595ce943de1661389"} 1.0 1796469845.127
                aegis_jobs_queued{pipeline="blast"} 3.0
                """);

        assertThat(scrape.samples("postgresql_processing_seconds_count")).singleElement().satisfies(sample -> {
            assertThat(sample.labels()).containsEntry("clientType", "sql").hasSize(2);
            assertThat(sample.value()).isEqualTo(72.0);
        });
        assertThat(scrape.value("aegis_jobs_queued", "pipeline", "blast")).contains(3.0);
    }

    @Test
    void aLineThatIsNoSampleIsRefused() {
        assertThatThrownBy(() -> PrometheusScrape.parse("not a sample at all {"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
