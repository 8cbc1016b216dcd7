package io.aegis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpRelayTest {

    private ServerSocket echo;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    Thread.ofVirtual().start(() -> {
                        try (socket) {
                            socket.getInputStream().transferTo(socket.getOutputStream());
                        } catch (IOException ignored) {
                            // the client went away
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void stopEcho() throws IOException {
        echo.close();
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        byte[] back = socket.getInputStream().readNBytes(text.length());
        return new String(back, StandardCharsets.UTF_8);
    }

    @Test
    void aRelaysPortIsBelowTheEphemeralRangeSoNoOutgoingConnectionTakesItWhileCut() {
        try (TcpRelay relay = TcpRelay.to("127.0.0.1", echo.getLocalPort())) {
            assertThat(relay.port()).isBetween(20_000, Ports.ephemeralRangeStart() - 1);
        }
    }

    @Test
    void cutClosesLiveConnectionsAndRefusesNewOnesUntilRestored() throws IOException {
        try (TcpRelay relay = TcpRelay.to("127.0.0.1", echo.getLocalPort());
             Socket live = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
            assertThat(roundTrip(live, "hello")).isEqualTo("hello");
            assertThat(relay.relayed()).isEqualTo(1);

            relay.cut();
            assertThat(relay.passing()).isFalse();
            InputStream in = live.getInputStream();
            assertThat(in.read()).as("the live connection was closed").isEqualTo(-1);
            // a new connection is refused, as a stopped server refuses it
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), relay.port()).close())
                    .isInstanceOf(ConnectException.class);
            assertThat(relay.relayed()).isEqualTo(1);

            relay.restore();
            try (Socket again = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
                assertThat(roundTrip(again, "back again")).isEqualTo("back again");
            }
            assertThat(relay.relayed()).isEqualTo(2);
        }
    }
}
