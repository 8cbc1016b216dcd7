package io.aegis.artifact.rest;

import io.aegis.artifact.domain.HitFasta;
import io.aegis.artifact.repository.ResultsRepository;
import io.aegis.artifact.repository.ResultsRepository.HitLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The aligned regions of a job's hits as FASTA ({@link HitFasta.Aligned}), made as they are sent: each
 * chunk from the next pages of the hit table in the order of hits.tsv (keyset on {@code ord}, so a page
 * costs the same however deep), so memory holds a page and a chunk whatever the job's size.
 */
final class AlignedChunks implements Chunks {

    static final int CHUNK = 64 * 1024;
    static final int PAGE = 500;
    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);

    private final ResultsRepository repository;
    private final HitFasta.Aligned aligned;
    private final UUID jobId;
    private final String query;
    private final List<Long> ords;
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream(CHUNK + 8192);
    private final Writer out = new OutputStreamWriter(sink, StandardCharsets.UTF_8);
    private long after = -1;
    private boolean last;

    AlignedChunks(ResultsRepository repository, HitFasta.Aligned aligned, UUID jobId, String query, List<Long> ords) {
        this.repository = repository;
        this.aligned = aligned;
        this.jobId = jobId;
        this.query = query;
        this.ords = ords;
    }

    @Override
    public byte[] next() throws IOException {
        while (!last && sink.size() < CHUNK) {
            // on a worker thread (Chunks.send): waiting for the page blocks no event loop
            List<HitLine> page = repository.lines(jobId, query, ords, after, PAGE).await().atMost(PAGE_WAIT);
            for (HitLine hit : page) {
                aligned.write(hit.line(), out);
                after = hit.ord();
            }
            out.flush();
            last = page.size() < PAGE;
        }
        if (sink.size() == 0) {
            return null;
        }
        byte[] chunk = sink.toByteArray();
        sink.reset();
        return chunk;
    }

    @Override
    public void close() {
        // nothing held between chunks: every page is a query of its own
    }
}
