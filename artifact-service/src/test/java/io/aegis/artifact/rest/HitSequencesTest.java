package io.aegis.artifact.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.artifact.domain.TopAlignments;
import io.aegis.artifact.service.JobServiceStandIn;
import io.aegis.contracts.http.AegisHeaders;
import io.aegis.events.SearchArchive;
import io.aegis.events.StoreLayout;
import io.aegis.testing.KafkaBrokerResource;
import io.aegis.testing.TestCallers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Any hit's alignment and the hits as FASTA, against hits real blastp found in a database
 * {@code makeblastdb -parse_seqids} built here (as the worker builds them), with the search record the
 * worker keeps and the database's build marker laid down beside them.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(value = JobServiceStandIn.class, scope = TestResourceScope.GLOBAL)
class HitSequencesTest {

    /** The columns the worker asks BLAST for, descriptions and lengths among them. */
    private static final List<String> COLUMNS = List.of("qseqid", "sseqid", "pident", "length", "mismatch", "gapopen",
            "qstart", "qend", "sstart", "send", "evalue", "bitscore", "qseq", "sseq", "stitle", "qlen", "slen", "qcovs");
    private static final List<UUID> JOBS = new ArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Ids of the kinds a lab's FASTA has: UniProt's, RefSeq's with a version, a bare local id. */
    private static final String DATABASE = """
            >sp|P69905|HBA_HUMAN Hemoglobin subunit alpha OS=Homo sapiens
            MVLSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSFPTTKTYFPHFDLSHGSAQVKGHGKKVADALTNAVAHVDDMPNALSALSDLHAHKLRVDPVNFKLLSHCLLVTLAAHLPAEFTPAVHASLDKFLASVSTVLTSKYR
            >seq2 plain local id
            MVHLTPEEKSAVTALWGKVNVDEVGGEALGRLLVVYPWTQRFFESFGDLSTPDAVMGNPKVKAHGKKVLGAFSDGLAHLDNLKGTFATLSELHCDKLHVDPENFRLLGNVLVCVLAHHFGKEFTPPVQAAYQKVVAGVANALAHKYH
            >ref|NP_000509.1| myoglobin-like, versioned id
            MGLSDGEWQLVLNVWGKVEADIPGHGQEVLIRLFKGHPETLEKFDKFKHLKSEDEMKASEDLKKHGATVLTALGGILKKKGHHEAEIKPLAQSHATKHKIPVKYLEFISECIIQVLQSRHPGDFGADAQGAMNKALELFRKDMASNYKELGFQG
            >unrelated1 never hit
            WWWWCCCCHHHHPPPPWWWWCCCCHHHHPPPP
            """;
    private static final String QUERIES = """
            >q1
            MVLSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSFPTTKTYFPHFDLSHGSAQVKGHGKKVADALTNAVAHVDD
            >q2
            MVHLTPEEKSAVTALWGKVNVDEVGGEALGRLLVVYPWTQRFFESFGDLSTPDAVMGNPKVKAHGKK
            """;

    @ConfigProperty(name = "aegis.store.root")
    Path storeRoot;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;
    @ConfigProperty(name = "quarkus.datasource.password")
    String dbPassword;

    /** A job's hits as blastp wrote them, and where its database is. */
    private record Searched(UUID job, List<String> lines, String database, Path prefix) {
    }

    // ------------------------------------------------------------------ one hit's alignment

    @Test
    void everyHitHasItsAlignmentAsJsonAndAsTheTextAlignmentsTxtDrawsByItsOrdFromThePages() throws Exception {
        Searched searched = searched("alice", COLUMNS);
        UUID job = searched.job();
        List<String> lines = searched.lines();
        assertThat(lines).hasSizeGreaterThan(4);

        JsonNode page = JSON.readTree(as("alice").queryParam("sort", "bitscore").queryParam("limit", 500)
                .get("/api/v1/jobs/" + job + "/results/hits").then().statusCode(200).extract().asString());
        assertThat(page.get("items")).hasSize(lines.size());
        for (JsonNode item : page.get("items")) {
            int ord = item.get("ord").asInt();
            String[] f = lines.get(ord).split("\t", -1);
            assertThat(item.get("sseqid").asText()).as("ord %d is line %d of hits.tsv", ord, ord).isEqualTo(f[1]);
            assertThat(item.get("bitscore").asDouble()).isEqualTo(Double.parseDouble(f[11]));

            String path = "/api/v1/jobs/" + job + "/results/hits/" + ord + "/alignment";
            JsonNode alignment = JSON.readTree(as("alice").get(path).then().statusCode(200)
                    .contentType("application/json").extract().asString());
            assertThat(alignment.get("ord").asLong()).isEqualTo(ord);
            assertThat(alignment.get("qseqid").asText()).isEqualTo(f[0]);
            assertThat(alignment.get("sseqid").asText()).isEqualTo(f[1]);
            assertThat(alignment.get("stitle").asText()).isEqualTo(f[14]);
            assertThat(alignment.get("qstart").asLong()).isEqualTo(Long.parseLong(f[6]));
            assertThat(alignment.get("send").asLong()).isEqualTo(Long.parseLong(f[9]));
            assertThat(alignment.get("slen").asLong()).isEqualTo(Long.parseLong(f[16]));
            assertThat(alignment.get("pident").asDouble()).isEqualTo(Double.parseDouble(f[2]));
            assertThat(alignment.get("evalue").asDouble()).isEqualTo(Double.parseDouble(f[10]));
            assertThat(alignment.get("qcovs").asDouble()).isEqualTo(Double.parseDouble(f[17]));
            assertThat(alignment.get("qseq").asText()).isEqualTo(f[12]);
            assertThat(alignment.get("sseq").asText()).isEqualTo(f[13]);
            String midline = alignment.get("midline").asText();
            assertThat(midline).hasSize(f[12].length());
            for (int i = 0; i < midline.length(); i++) {
                char q = f[12].charAt(i);
                assertThat(midline.charAt(i)).isEqualTo(q == f[13].charAt(i) && q != '-' ? q : ' ');
            }

            // the text is what alignments.txt shows for the hit, drawn by the same rule
            String drawn = drawnAsInAlignmentsTxt(lines.get(ord));
            assertThat(as("alice").queryParam("format", "text").get(path).then().statusCode(200)
                    .contentType(containsString("text/plain")).extract().asString()).isEqualTo(drawn);
            assertThat(as("alice").header("Accept", "text/plain").get(path).then().statusCode(200)
                    .extract().asString()).isEqualTo(drawn);
        }
        assertThat(drawnAsInAlignmentsTxt(lines.get(0))).contains("> " + lines.get(0).split("\t")[1] + " "
                + lines.get(0).split("\t")[14] + "\n");
    }

    @Test
    void anUnknownHitABadNumberOrFormatAndHitsWithoutSequencesAreRefusedWithTheirCodes() throws Exception {
        Searched searched = searched("alice", COLUMNS);
        String base = "/api/v1/jobs/" + searched.job() + "/results/hits/";
        as("alice").get(base + searched.lines().size() + "/alignment").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("HIT_NOT_FOUND"));
        for (String bad : List.of("x", "-1", "1.5", "99999999999999999999")) {
            as("alice").get(base + bad + "/alignment").then().statusCode(400).body("code", equalTo("INVALID_HIT"));
        }
        as("alice").queryParam("format", "xml").get(base + "0/alignment").then().statusCode(400)
                .body("code", equalTo("INVALID_FORMAT"));

        Searched bare = searched("alice", COLUMNS.subList(0, 12));
        as("alice").get("/api/v1/jobs/" + bare.job() + "/results/hits/0/alignment").then().statusCode(409)
                .body("code", equalTo("NO_ALIGNED_SEQUENCES"));
        as("alice").get("/api/v1/jobs/" + bare.job() + "/results/hits.fasta").then().statusCode(409)
                .body("code", equalTo("NO_ALIGNED_SEQUENCES"));
    }

    @Test
    void anotherUsersHitsAreNotFoundEitherWay() throws Exception {
        Searched searched = searched("alice", COLUMNS);
        for (String path : List.of("/results/hits/0/alignment", "/results/hits/0/alignment?format=text",
                "/results/hits.fasta", "/results/hits.fasta?region=full")) {
            Response refused = as("bob").get("/api/v1/jobs/" + searched.job() + path);
            assertThat(refused.statusCode()).as(path).isEqualTo(404);
            assertThat(refused.asString()).as(path).doesNotContain("q1").doesNotContain("HBA");
            assertThat(as("alice").get("/api/v1/jobs/" + searched.job() + path).statusCode()).as(path).isEqualTo(200);
            assertThat(as("alice").get("/api/v1/jobs/" + UUID.randomUUID() + path).statusCode()).as(path).isEqualTo(404);
            assertThat(given().get("/api/v1/jobs/" + searched.job() + path).statusCode()).as(path).isEqualTo(401);
        }
    }

    // ------------------------------------------------------------------ FASTA

    @Test
    void alignedRegionsAreEachHitsSubjectResiduesInFileOrderOfAllOneQueryOrAChosenSet() throws Exception {
        Searched searched = searched("alice", COLUMNS);
        List<String> lines = searched.lines();
        String path = "/api/v1/jobs/" + searched.job() + "/results/hits.fasta";

        String all = as("alice").get(path).then().statusCode(200).contentType(containsString("text/x-fasta"))
                .extract().asString();
        assertThat(all).isEqualTo(expectedAligned(lines, i -> true));
        assertThat(as("alice").queryParam("region", "aligned").get(path).asString()).isEqualTo(all);

        assertThat(as("alice").queryParam("query", "q2").get(path).then().statusCode(200).extract().asString())
                .isEqualTo(expectedAligned(lines, i -> lines.get(i).startsWith("q2\t")))
                .isNotEmpty();
        int last = lines.size() - 1;
        assertThat(as("alice").queryParam("hits", last + ",0," + last + ",100000").get(path).then().statusCode(200)
                .extract().asString()).isEqualTo(expectedAligned(lines, i -> i == 0 || i == last));
        assertThat(as("alice").queryParam("hits", "0").queryParam("query", "q2").get(path).then().statusCode(200)
                .extract().asString()).isEqualTo(expectedAligned(lines, i -> i == 0 && lines.get(0).startsWith("q2\t")));
    }

    @Test
    void manyHitsComeInFileOrderAcrossPagesAndChunks() throws Exception {
        // more hits than a page of the table and than a chunk of the response: copies of blastp's lines
        Searched searched = searched("alice", COLUMNS);
        List<String> many = new ArrayList<>();
        for (int i = 0; many.size() < 3 * AlignedChunks.PAGE + 7; i++) {
            String[] f = searched.lines().get(i % searched.lines().size()).split("\t", -1);
            f[0] = "q" + (1 + many.size() / 100);
            many.add(String.join("\t", f));
        }
        UUID job = job("alice");
        load(job, "alice", COLUMNS, many, null);
        String fasta = as("alice").get("/api/v1/jobs/" + job + "/results/hits.fasta").then().statusCode(200)
                .extract().asString();
        assertThat(fasta.length()).isGreaterThan(AlignedChunks.CHUNK);
        assertThat(fasta).isEqualTo(expectedAligned(many, i -> true));
    }

    @Test
    void fullSequencesAreBlastdbcmdsOwnOncePerSubjectNamedAsTheHitsNameThem() throws Exception {
        Searched searched = searched("alice", COLUMNS);
        String path = "/api/v1/jobs/" + searched.job() + "/results/hits.fasta";
        List<String> subjects = new ArrayList<>(new LinkedHashSet<>(searched.lines().stream()
                .map(l -> l.split("\t")[1]).toList()));
        assertThat(subjects).as("a subject hit by both queries").hasSizeLessThan(searched.lines().size())
                .contains("sp|P69905|HBA_HUMAN", "seq2", "ref|NP_000509.1|");

        String full = as("alice").queryParam("region", "full").get(path).then().statusCode(200)
                .contentType(containsString("text/x-fasta")).extract().asString();
        Map<String, String[]> records = records(full);
        assertThat(records.keySet()).containsExactlyElementsOf(subjects);
        for (String subject : subjects) {
            // blastdbcmd asked directly, for this one id
            assertThat(records.get(subject)[0]).as(subject)
                    .isEqualTo(blastdbcmd(searched.prefix(), subject, "%t"));
            assertThat(records.get(subject)[1]).as(subject)
                    .isEqualTo(blastdbcmd(searched.prefix(), subject, "%s"));
        }
        // the lines are blastdbcmd's as it prints them, only the names are the hits'
        String printed = blastdbcmd(searched.prefix(), "sp|P69905|HBA_HUMAN", null);
        assertThat(full).contains(printed.replace(">P69905 ", ">sp|P69905|HBA_HUMAN "));

        String q2 = as("alice").queryParam("region", "full").queryParam("query", "q2").get(path).then().statusCode(200)
                .extract().asString();
        assertThat(records(q2).keySet()).containsExactlyElementsOf(new LinkedHashSet<>(searched.lines().stream()
                .filter(l -> l.startsWith("q2\t")).map(l -> l.split("\t")[1]).toList()));
        String chosen = as("alice").queryParam("region", "full").queryParam("hits", "0").get(path).then().statusCode(200)
                .extract().asString();
        assertThat(records(chosen).keySet()).containsExactly(searched.lines().get(0).split("\t")[1]);
        assertThat(as("alice").queryParam("region", "full").queryParam("query", "nobody").get(path).then()
                .statusCode(200).extract().asString()).isEmpty();
    }

    @Test
    void aJobThatReusedAnotherJobsResultsReadsTheDatabaseTheOtherSearched() throws Exception {
        Searched earlier = searched("alice", COLUMNS);
        UUID job = job("alice");
        load(job, "alice", COLUMNS, earlier.lines(), earlier.job());
        String full = as("alice").queryParam("region", "full").get("/api/v1/jobs/" + job + "/results/hits.fasta")
                .then().statusCode(200).extract().asString();
        assertThat(full).isEqualTo(as("alice").queryParam("region", "full")
                .get("/api/v1/jobs/" + earlier.job() + "/results/hits.fasta").asString()).isNotEmpty();
    }

    @Test
    void aDatabaseReplacedSinceTheSearchOrNoRecordOfItIsAConflictNamingWhy() throws Exception {
        Searched searched = searched("alice", COLUMNS);
        String path = "/api/v1/jobs/" + searched.job() + "/results/hits.fasta";
        StoreLayout store = new StoreLayout(storeRoot);
        Files.writeString(store.databaseMarker(searched.database()), "type=PROTEIN\nversion=0ther0ne\n");
        as("alice").queryParam("region", "full").get(path).then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("DATABASE_CHANGED"))
                .body("detail", allOf(containsString("0ther0ne"), containsString(version(searched.database())),
                        containsString(searched.database())));
        // the aligned regions come from the hits themselves: still there
        as("alice").get(path).then().statusCode(200);

        Files.delete(store.databaseMarker(searched.database()));
        as("alice").queryParam("region", "full").get(path).then().statusCode(409).body("code", equalTo("DATABASE_CHANGED"))
                .body("detail", containsString("no longer there"));

        UUID unrecorded = job("alice");
        load(unrecorded, "alice", COLUMNS, searched.lines(), null);
        as("alice").queryParam("region", "full").get("/api/v1/jobs/" + unrecorded + "/results/hits.fasta").then()
                .statusCode(409).body("code", equalTo("NO_SEARCH_RECORD"));
    }

    @Test
    void badFastaParametersAreRefusedWithTheirCodes() throws Exception {
        Searched searched = searched("alice", COLUMNS);
        String path = "/api/v1/jobs/" + searched.job() + "/results/hits.fasta";
        as("alice").queryParam("region", "whole").get(path).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("INVALID_REGION"));
        for (String hits : List.of("a", "1,,2", "-3", "0," + "1,".repeat(1000) + "2")) {
            as("alice").queryParam("hits", hits).get(path).then().statusCode(400).body("code", equalTo("INVALID_HITS"));
        }
        as("alice").get("/api/v1/jobs/not-a-job/results/hits.fasta").then().statusCode(400)
                .body("code", equalTo("INVALID_JOB_ID"));
    }

    @Test
    void bothAreDescribedInTheOpenApiDocument() throws Exception {
        JsonNode document = JSON.readTree(given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
        JsonNode paths = document.get("paths");
        assertThat(paths.at("/~1api~1v1~1jobs~1{id}~1results~1hits.fasta/get/parameters").toString())
                .contains("region", "query", "hits");
        assertThat(paths.at("/~1api~1v1~1jobs~1{id}~1results~1hits~1{ord}~1alignment/get/responses/200/content").toString())
                .contains("application/json", "text/plain", "HitAlignment");
        assertThat(document.at("/components/schemas/HitAlignment/properties").toString())
                .contains("midline", "stitle", "qseq", "sseq");
    }

    // ------------------------------------------------------------------ helpers

    private static RequestSpecification as(String user) {
        return given().header(AegisHeaders.IDENTITY, TestCallers.identity(user));
    }

    private static String drawnAsInAlignmentsTxt(String line) throws IOException {
        StringWriter out = new StringWriter();
        TopAlignments.forColumns(COLUMNS, 1).write(new BufferedReader(new StringReader(line)), out);
        return out.toString();
    }

    /** The aligned records of the chosen lines, written out here by the documented naming rule. */
    private static String expectedAligned(List<String> lines, java.util.function.IntPredicate chosen) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (!chosen.test(i)) {
                continue;
            }
            String[] f = lines.get(i).split("\t", -1);
            out.append('>').append(f[1]).append(':').append(f[8]).append('-').append(f[9]).append(' ').append(f[0])
                    .append(' ').append(f[14]).append('\n');
            String residues = f[13].replace("-", "");
            for (int from = 0; from < residues.length(); from += 80) {
                out.append(residues, from, Math.min(residues.length(), from + 80)).append('\n');
            }
        }
        return out.toString();
    }

    /** The records of a FASTA text in order: id → {description, sequence on one line}. */
    private static Map<String, String[]> records(String fasta) {
        Map<String, String[]> records = new LinkedHashMap<>();
        String id = null;
        for (String line : fasta.lines().toList()) {
            if (line.startsWith(">")) {
                int space = line.indexOf(' ');
                id = space < 0 ? line.substring(1) : line.substring(1, space);
                assertThat(records).as("each subject once").doesNotContainKey(id);
                records.put(id, new String[] {space < 0 ? "" : line.substring(space + 1), ""});
            } else {
                records.get(id)[1] += line;
            }
        }
        return records;
    }

    private static String blastdbcmd(Path prefix, String entry, String format) throws Exception {
        List<String> command = new ArrayList<>(List.of("blastdbcmd", "-db", prefix.toString(), "-entry", entry,
                "-target_only"));
        if (format != null) {
            command.addAll(List.of("-outfmt", format));
        }
        return run(command, null).strip() + (format == null ? "\n" : "");
    }

    private static String run(List<String> command, Path directory) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    private String version(String database) throws IOException {
        return database.substring(database.lastIndexOf('-') + 1);
    }

    /**
     * A finished job of {@code owner}'s: a database built with makeblastdb -parse_seqids in the store,
     * with a build marker; blastp's hits of two queries against it, in the given columns, loaded as the
     * hit table; and the search record naming the database at the version searched.
     */
    private Searched searched(String owner, List<String> columns) throws Exception {
        StoreLayout store = new StoreLayout(storeRoot);
        String version = UUID.randomUUID().toString().substring(0, 12).replace("-", "");
        String name = "fasta-" + version;
        Path folder = Files.createDirectories(store.database(name));
        Files.writeString(folder.resolve("source.fasta"), DATABASE);
        run(List.of("makeblastdb", "-in", "source.fasta", "-dbtype", "prot", "-out", name, "-parse_seqids",
                "-title", name), folder);
        Files.writeString(store.databaseMarker(name), "type=PROTEIN\nsequences=4\nresidues=600\nversion=" + version + "\n");
        Path prefix = folder.resolve(name).toAbsolutePath();

        UUID job = job(owner);
        Path queries = Files.writeString(store.jobDir(job).resolve("input.fasta"), QUERIES);
        String tsv = run(List.of("blastp", "-query", queries.toString(), "-db", prefix.toString(), "-evalue", "10",
                "-outfmt", "6 " + String.join(" ", columns)), null);
        List<String> lines = tsv.lines().filter(l -> !l.isBlank()).toList();
        load(job, owner, columns, lines, null);
        Files.createDirectories(store.archive(job));
        new SearchArchive(SearchArchive.SCHEMA, "blastp", name, version, prefix.toString(), 1, 2, Map.of())
                .write(store.archive(job));
        return new Searched(job, lines, name, prefix);
    }

    private UUID job(String owner) throws IOException {
        UUID job = UUID.randomUUID();
        JOBS.add(job);
        Files.createDirectories(new StoreLayout(storeRoot).jobDir(job));
        return job;
    }

    /** The rows finalization leaves: the hit table ready, its lines, the finalization done with its columns. */
    private void load(UUID job, String owner, List<String> columns, List<String> lines, UUID reusedFrom)
            throws SQLException {
        try (Connection db = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword)) {
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO artifacts.artifact "
                    + "(job_id, name, owner, state, kind, updated_at) VALUES (?, 'hits', ?, 'READY', 'table', now())")) {
                insert.setObject(1, job);
                insert.setString(2, owner);
                insert.executeUpdate();
            }
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO artifacts.finalization "
                    + "(job_id, owner, job_status, state, attempts, next_attempt_at, hit_columns, hit_count, reused_from,"
                    + " created_at, updated_at) VALUES (?, ?, 'SUCCEEDED', 'done', 1, now() + interval '1 day', ?, ?, ?,"
                    + " now(), now())")) {
                insert.setObject(1, job);
                insert.setString(2, owner);
                insert.setString(3, String.join("\t", columns));
                insert.setLong(4, lines.size());
                insert.setObject(5, reusedFrom);
                insert.executeUpdate();
            }
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO artifacts.hit "
                    + "(job_id, ord, query, subject, identity, evalue, bitscore, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                long ord = 0;
                for (String line : lines) {
                    String[] f = line.split("\t");
                    insert.setObject(1, job);
                    insert.setLong(2, ord++);
                    insert.setString(3, f[0]);
                    insert.setString(4, f[1]);
                    insert.setDouble(5, Double.parseDouble(f[2]));
                    insert.setDouble(6, Double.parseDouble(f[10]));
                    insert.setDouble(7, Double.parseDouble(f[11]));
                    insert.setString(8, line);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    @AfterAll
    static void forget() throws Exception {
        // the rows of these jobs only: the database is shared with the other tests
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        try (Connection db = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class))) {
            for (String table : List.of("hit", "artifact", "finalization")) {
                try (PreparedStatement delete = db.prepareStatement("DELETE FROM artifacts." + table + " WHERE job_id = ?")) {
                    for (UUID job : JOBS) {
                        delete.setObject(1, job);
                        delete.executeUpdate();
                    }
                }
            }
        }
    }
}
