package io.aegis.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.JobStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QBlastTest {

    private static final String RID = "0b6c1f9e-5b8e-4a63-9f5e-1f0f6c1a2b3c";

    private static String code(Runnable refused) {
        try {
            refused.run();
        } catch (ProblemException e) {
            return e.problem().code();
        }
        throw new AssertionError("not refused");
    }

    @Test
    void qblastsDefaultPutBecomesABlastJobWithItsSearchParameters() {
        SubmitRequest job = QBlast.submission(Map.of("CMD", "Put", "PROGRAM", "blastp", "DATABASE", "demo",
                "QUERY", ">a\nMKT\n", "EXPECT", "10.0", "HITLIST_SIZE", "50", "ENTREZ_QUERY", "(none)",
                "COMPOSITION_BASED_STATISTICS", "2", "SERVICE", "plain"));
        assertThat(job.pipeline()).isEqualTo("blast");
        assertThat(job.database()).isEqualTo("demo");
        assertThat(job.fasta()).isEqualTo(">a\nMKT\n");
        assertThat(job.params()).containsExactlyInAnyOrderEntriesOf(Map.of("program", "blastp", "evalue", "10.0",
                "max_target_seqs", "50", "comp_based_stats", "2"));
    }

    @Test
    void aBareSequenceIsOneQueryWithoutItsSpacesAndNumbers() {
        assertThat(QBlast.fasta("  1 mktay iakqr\n 11 QISF\n")).isEqualTo(">Query_1\nmktayiakqrQISF\n");
        assertThat(QBlast.fasta("\n>x\nAC\n>y\nGT")).isEqualTo(">x\nAC\n>y\nGT\n");
        assertThat(QBlast.fasta("  ")).isNull();
    }

    @Test
    void aParameterThatWouldChangeTheSearchButIsNotSupportedIsRefusedNotIgnored() {
        assertThat(code(() -> QBlast.submission(Map.of("PROGRAM", "blastp", "GAPCOSTS", "11 1"))))
                .isEqualTo("UNSUPPORTED_PARAMETER");
        assertThat(code(() -> QBlast.submission(Map.of("PROGRAM", "blastp", "SERVICE", "psi"))))
                .isEqualTo("UNSUPPORTED_PARAMETER");
        assertThat(code(() -> QBlast.submission(Map.of("DATABASE", "demo")))).isEqualTo("INVALID_PARAMETER");
        // layout and who-is-asking parameters change nothing that is found
        assertThat(QBlast.submission(Map.of("PROGRAM", "blastn", "AUTO_FORMAT", "Semiauto", "EMAIL", "x@y", "TOOL", "biopython",
                "FORMAT_TYPE", "XML")).params()).containsOnlyKeys("program");
    }

    @Test
    void commandsAndFormatsAreWhatTheUrlApiNames() {
        assertThat(QBlast.command(Map.of("CMD", "Put"))).isEqualTo(QBlast.Command.PUT);
        assertThat(QBlast.command(Map.of("CMD", "get"))).isEqualTo(QBlast.Command.GET);
        assertThat(code(() -> QBlast.command(Map.of("CMD", "DisplayRIDs")))).isEqualTo("UNKNOWN_COMMAND");
        assertThat(code(() -> QBlast.command(Map.of()))).isEqualTo("UNKNOWN_COMMAND");
        assertThat(QBlast.format(Map.of())).isEqualTo(QBlast.Format.XML);
        assertThat(QBlast.format(Map.of("FORMAT_OBJECT", "SearchInfo", "FORMAT_TYPE", "HTML"))).isEqualTo(QBlast.Format.SEARCH_INFO);
        assertThat(code(() -> QBlast.format(Map.of("FORMAT_TYPE", "Text")))).isEqualTo("UNSUPPORTED_FORMAT");
        assertThat(code(() -> QBlast.format(Map.of("FORMAT_OBJECT", "Report")))).isEqualTo("UNSUPPORTED_FORMAT");
        assertThat(QBlast.rid(Map.of("RID", " " + RID + " "))).isEqualTo(RID);
        assertThat(code(() -> QBlast.rid(Map.of("RID", "../jobs")))).isEqualTo("JOB_NOT_FOUND");
    }

    @Test
    void parametersAreReadByUpperCasedNameTheFirstValueAndNoBlankOne() {
        Map<String, String> read = QBlast.parameters(List.of(Map.entry("cmd", "Put"), Map.entry("CMD", "Get"),
                Map.entry("MATRIX_NAME", " "), Map.entry("email", "a@b")));
        assertThat(read).containsExactlyInAnyOrderEntriesOf(Map.of("CMD", "Put", "EMAIL", "a@b"));
    }

    @Test
    void aJobWaitsUntilItsXmlIsReadyAndEndsWithAnErrorWhenItNeverWillBe() {
        var xmlReady = List.of(new QBlast.Artifact("hits.xml", "ready", null), new QBlast.Artifact("manifest.json", "pending", null));
        var xmlPending = List.of(new QBlast.Artifact("hits.xml", "pending", null), new QBlast.Artifact("manifest.json", "pending", null));
        var noneYet = List.<QBlast.Artifact>of();
        var allBuiltWithoutXml = List.of(new QBlast.Artifact("hits.tsv", "ready", null), new QBlast.Artifact("manifest.json", "ready", null));
        var xmlFailed = List.of(new QBlast.Artifact("hits.xml", "failed", "blast_formatter exited with 1"));

        for (JobStatus running : List.of(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.CANCELLING)) {
            assertThat(QBlast.poll(RID, running, null, noneYet)).isInstanceOf(QBlast.Poll.Waiting.class);
        }
        assertThat(QBlast.poll(RID, JobStatus.SUCCEEDED, null, noneYet)).isInstanceOf(QBlast.Poll.Waiting.class);
        assertThat(QBlast.poll(RID, JobStatus.SUCCEEDED, null, xmlPending)).isInstanceOf(QBlast.Poll.Waiting.class);
        assertThat(QBlast.poll(RID, JobStatus.SUCCEEDED, null, xmlReady)).isInstanceOf(QBlast.Poll.Ready.class);
        var xmlOnRequest = List.of(new QBlast.Artifact("hits.xml", "on_request", null), new QBlast.Artifact("manifest.json", "ready", null));
        assertThat(QBlast.poll(RID, JobStatus.SUCCEEDED, null, xmlOnRequest)).isInstanceOf(QBlast.Poll.Ask.class);
        assertThat(ended(QBlast.poll(RID, JobStatus.SUCCEEDED, null, allBuiltWithoutXml)).code()).isEqualTo("RESULTS_UNAVAILABLE");
        Problem formatFailed = ended(QBlast.poll(RID, JobStatus.SUCCEEDED, null, xmlFailed));
        assertThat(formatFailed.code()).isEqualTo("RESULTS_UNAVAILABLE");
        assertThat(formatFailed.detail()).contains("blast_formatter exited with 1");

        Problem failed = ended(QBlast.poll(RID, JobStatus.FAILED, "blastp exited with 2", noneYet));
        assertThat(failed.status()).isEqualTo(409);
        assertThat(failed.code()).isEqualTo("JOB_FAILED");
        assertThat(failed.jobStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.detail()).isEqualTo("Job " + RID + " failed: blastp exited with 2");
        Problem cancelled = ended(QBlast.poll(RID, JobStatus.CANCELLED, null, noneYet));
        assertThat(cancelled.code()).isEqualTo("JOB_CANCELLED");
        assertThat(cancelled.jobStatus()).isEqualTo(JobStatus.CANCELLED);
    }

    private static Problem ended(QBlast.Poll poll) {
        assertThat(poll).isInstanceOf(QBlast.Poll.Ended.class);
        return ((QBlast.Poll.Ended) poll).why().problem();
    }

    @Test
    void thePagesAreWhatQblastParsesLineByLine() {
        String put = QBlast.submitted(RID);
        int rid = put.indexOf("RID =");
        assertThat(put.substring(rid + 5, put.indexOf('\n', rid)).strip()).isEqualTo(RID);
        int rtoe = put.indexOf("RTOE =");
        assertThat(Integer.parseInt(put.substring(rtoe + 6, put.indexOf('\n', rtoe)).strip())).isEqualTo(QBlast.RTOE_SECONDS);
        String waiting = QBlast.waiting();
        int status = waiting.indexOf("Status=");
        assertThat(waiting.substring(status + 7, waiting.indexOf('\n', status)).strip()).isEqualTo("WAITING");
        assertThat(QBlast.searchInfo(false)).contains("Status=READY\n", "ThereAreHits=no\n");
    }

    @Test
    void theReasonPhraseIsOnePrintableLineWithTheCode() {
        Problem problem = Problem.of(409, "JOB_FAILED", "Job failed", "Job x failed: line one\nline two \u00e9" + "z".repeat(400));
        String reason = QBlast.reason(problem);
        assertThat(reason).startsWith("JOB_FAILED: Job x failed: line one line two ?zzz").hasSize(300)
                .matches("[\\x20-\\x7e]+");
    }

    @Test
    void basicCredentialsCarryTheTokenAsThePasswordOnlyWhereTaken() {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("blast:tok.en.x".getBytes());
        assertThat(Credentials.token(basic, true)).contains("tok.en.x");
        assertThat(Credentials.token(basic, false)).isEmpty();
        assertThat(Credentials.token("Bearer  abc ", false)).contains("abc");
        assertThat(Credentials.token("Basic !!!", true)).isEmpty();
        assertThat(Credentials.token("Basic " + java.util.Base64.getEncoder().encodeToString("nocolon".getBytes()), true)).isEmpty();
        assertThat(Credentials.token("Basic " + java.util.Base64.getEncoder().encodeToString("blast:".getBytes()), true)).isEmpty();
        assertThat(Credentials.token(null, true)).isEmpty();
        assertThatThrownBy(() -> QBlast.rid(Map.of())).isInstanceOf(ProblemException.class);
    }
}
