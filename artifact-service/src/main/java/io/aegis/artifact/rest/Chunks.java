package io.aegis.artifact.rest;

import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.Closeable;
import java.io.IOException;

/**
 * A response body made on the fly, one chunk at a time (a gzip stream of a file, a zip of files):
 * each chunk is made on a worker thread and written once the client has taken the one before, so
 * memory holds a chunk or two whatever the size, and a slow client slows the making down.
 */
interface Chunks extends Closeable {

    /** The next chunk, or null at the end. Blocking. */
    byte[] next() throws IOException;

    /** Writes every chunk of {@code chunks} to {@code response} and ends it; resets it when making fails midway. */
    static void send(Vertx vertx, HttpServerResponse response, Chunks chunks) {
        if (response.closed()) {
            quietly(chunks);
            return;
        }
        vertx.<byte[]>executeBlocking(chunks::next, false).onComplete(made -> {
            if (made.failed()) {
                Log.warnf(made.cause(), "A download was cut short");
                quietly(chunks);
                response.reset();
            } else if (made.result() == null) {
                quietly(chunks);
                if (!response.closed()) {
                    response.end();
                }
            } else if (response.closed()) {
                quietly(chunks);
            } else {
                response.write(Buffer.buffer(made.result()));
                if (response.writeQueueFull()) {
                    response.drainHandler(drained -> {
                        response.drainHandler(null);
                        send(vertx, response, chunks);
                    });
                } else {
                    send(vertx, response, chunks);
                }
            }
        });
    }

    private static void quietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            Log.debugf(e, "Closing a download's source");
        }
    }
}
