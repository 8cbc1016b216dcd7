package io.aegis.worker.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.contracts.http.AegisHeaders;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.web.Callers;
import io.aegis.worker.domain.DatabaseEntry;
import io.aegis.worker.service.DatabaseRegistry;
import io.aegis.worker.service.DatabaseUploads;
import io.quarkus.logging.Log;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** The BLAST databases: listed for everyone, registered from a FASTA by administrators (checked here and at the gateway). */
@Path("/api/v1/databases")
@Produces(MediaType.APPLICATION_JSON)
public class DatabasesResource {

    /**
     * @param state {@code building}, {@code ready} or {@code failed}
     * @param error why the last build failed: on a failed database, or on a ready one whose replacement failed
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DatabaseView(String name, String type, Long sequences, Long residues, String version, String state,
                               String error) {

        static DatabaseView of(DatabaseEntry e) {
            return new DatabaseView(e.name(), e.type() == null ? null : lower(e.type().name()), e.sequences(),
                    e.residues(), e.version(), lower(e.state().name()), e.error());
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RegisterRequest(String name, String fasta) {
    }

    private final DatabaseRegistry databases;
    private final DatabaseUploads uploads;
    private final UploadLimit limits;
    private final ObjectMapper mapper;

    public DatabasesResource(DatabaseRegistry databases, DatabaseUploads uploads, UploadLimit limits,
                             ObjectMapper mapper) {
        this.databases = databases;
        this.uploads = uploads;
        this.limits = limits;
        this.mapper = mapper;
    }

    @GET
    @Operation(summary = "Every database: ready, building or failed, with its type, counts and version")
    public List<DatabaseView> list() {
        return databases.list().stream().map(DatabaseView::of).toList();
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One database")
    public DatabaseView get(@RestPath String name) {
        return databases.status(name).map(DatabaseView::of).orElseThrow(() -> new ProblemException(404,
                "DATABASE_NOT_FOUND", "Database not found", "There is no database '" + name + "'."));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a database from the FASTA in a JSON body (up to 16 MiB); 202 with the database building")
    public Response registerJson(InputStream body, @RestQuery boolean replace,
                                 @RestHeader(AegisHeaders.USER) String user,
                                 @RestHeader(AegisHeaders.ADMIN) String admin) throws IOException {
        String caller = Callers.admin(user, admin);
        // held whole and read as one string, so refused early when too large for that
        long limit = limits.limit(MediaType.APPLICATION_JSON);
        byte[] json = body.readNBytes((int) limit + 1);
        if (json.length > limit) {
            throw limits.refusal(MediaType.APPLICATION_JSON);
        }
        RegisterRequest request;
        try {
            request = json.length == 0 ? null : mapper.readValue(json, RegisterRequest.class);
        } catch (IOException e) {
            request = null;
        }
        if (request == null) {
            throw new ProblemException(400, "INVALID_REQUEST", "Invalid database",
                    "Send a JSON object with name and fasta.");
        }
        byte[] fasta = request.fasta() == null ? new byte[0] : request.fasta().getBytes(StandardCharsets.UTF_8);
        return register(caller, request.name(), new ByteArrayInputStream(fasta), replace);
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Register a database from the FASTA in a 'file' part; 202 with the database building")
    public Response registerMultipart(@RestForm String name, @RestForm("file") FileUpload file,
                                      @RestQuery boolean replace, @RestHeader(AegisHeaders.USER) String user,
                                      @RestHeader(AegisHeaders.ADMIN) String admin) {
        String caller = Callers.admin(user, admin);
        if (file == null) {
            throw new ProblemException(400, "INVALID_FASTA", "Invalid database", "Send the FASTA as a 'file' part.");
        }
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            return register(caller, name, in, replace);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Response register(String caller, String name, InputStream fasta, boolean replace) {
        DatabaseEntry entry = uploads.register(name, fasta, replace);
        Log.infof("Database %s registered by %s%s", name, caller, replace ? " (replace)" : "");
        // relative, so it holds behind the gateway too (location() would name this worker's own address)
        return Response.accepted(DatabaseView.of(entry)).header("Location", "/api/v1/databases/" + name).build();
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
