package com.gladstream.local.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.gladstream.local.registry.StoredEntry.SchemaVersion;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.RejectedImage;
import com.gladstream.schemas.registry.HttpSchemaRegistryClient;
import com.gladstream.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The embedded registry's defences: where it listens, who it answers, and what slow or stuck work can hold up. */
class RegistryLockdownTest {

    @Test
    void listensOnLoopbackOnlyUnlessAskedOtherwise() throws Exception {
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(this::isUp)
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        assumeTrue(external.isPresent(), "this machine has no non-loopback address to try");
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory()) {
            assertThat(registry.url()).startsWith("http://127.0.0.1:");
            new HttpSchemaRegistryClient(registry.url()).register("x-value", ImageEvent.getClassSchema());
            assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress(external.get(), registry.port()), 2000))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void withCredentialsEveryRequestNeedsThemInConfluentsUserInfoForm() throws Exception {
        EmbeddedSchemaRegistry.Options options =
                new EmbeddedSchemaRegistry.Options(InetAddress.getLoopbackAddress(), 0, "glad:s3cr:et");
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(options, new InMemorySchemaStore())) {
            int id = new HttpSchemaRegistryClient(registry.url(), "glad:s3cr:et").register("x-value",
                    ImageEvent.getClassSchema());
            String withUserInfo = registry.url().replace("http://", "http://glad:s3cr%3Aet@");
            assertThat(new HttpSchemaRegistryClient(withUserInfo).getById(id)).isEqualTo(ImageEvent.getClassSchema());

            for (String wrong : new String[] {null, "glad:guess", "other:s3cr:et"}) {
                assertThatThrownBy(() -> new HttpSchemaRegistryClient(registry.url(), wrong).getById(id))
                        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                            assertThat(e.httpStatus()).isEqualTo(401);
                            assertThat(e.errorCode()).isEqualTo(40101);
                            assertThat(e.isUnknownSchema()).isFalse();
                        });
            }
        }
    }

    @Test
    void slowClientsAreCutOffAndCannotStallTheRegistry() throws Exception {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory()) {
            HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(registry.url());
            int id = client.register("x-value", ImageEvent.getClassSchema());
            List<Socket> slow = new ArrayList<>();
            for (int i = 0; i < 2 * EmbeddedSchemaRegistry.HTTP_THREADS; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), registry.port());
                OutputStream out = socket.getOutputStream();
                out.write(("POST /subjects/slow/versions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n{\"schema\":").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(socket);
            }
            long started = System.nanoTime();
            // Sent while every thread may be waiting for a body that never comes.
            assertThat(new HttpSchemaRegistryClient(registry.url()).getById(id)).isEqualTo(ImageEvent.getClassSchema());
            long waitedSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertThat(waitedSeconds).isLessThanOrEqualTo(EmbeddedSchemaRegistry.REQUEST_TIME_LIMIT_SECONDS + 3);
            for (Socket socket : slow) {
                socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(EmbeddedSchemaRegistry.REQUEST_TIME_LIMIT_SECONDS + 5));
                assertThat(closedByServer(socket.getInputStream())).as("slow connection closed").isTrue();
                socket.close();
            }
        }
    }

    @Test
    void lookupsAnswerWhileARegistrationWaitsForTheStore() throws Exception {
        CountDownLatch storing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InMemorySchemaStore memory = new InMemorySchemaStore();
        SchemaStore slowStore = new SchemaStore() {
            @Override
            public List<StoredEntry> replay() {
                return memory.replay();
            }

            @Override
            public void append(StoredEntry entry) throws IOException {
                if (entry instanceof SchemaVersion version && version.subject().equals("slow-value")) {
                    storing.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                memory.append(entry);
            }

            @Override
            public String describe() {
                return "a store that waits on a latch";
            }

            @Override
            public void close() {}
        };
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0, slowStore)) {
            int id = new HttpSchemaRegistryClient(registry.url()).register("x-value", ImageEvent.getClassSchema());
            CompletableFuture<Integer> slowRegistration = CompletableFuture.supplyAsync(() -> {
                try {
                    return new HttpSchemaRegistryClient(registry.url()).register("slow-value", RejectedImage.getClassSchema());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(storing.await(10, TimeUnit.SECONDS)).isTrue();

            long started = System.nanoTime();
            HttpSchemaRegistryClient reader = new HttpSchemaRegistryClient(registry.url());
            assertThat(reader.getById(id)).isEqualTo(ImageEvent.getClassSchema());
            assertThat(reader.getId("x-value", ImageEvent.getClassSchema())).isEqualTo(id);
            assertThat(reader.versions("x-value")).containsExactly(1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
            assertThat(slowRegistration).isNotDone();

            release.countDown();
            assertThat(slowRegistration.get(10, TimeUnit.SECONDS)).isNotEqualTo(id);
        }
    }

    private boolean isUp(NetworkInterface networkInterface) {
        try {
            return networkInterface.isUp();
        } catch (SocketException e) {
            return false;
        }
    }

    /** Whether the server closed the connection: end of stream or a reset, after any answer it sent. */
    private static boolean closedByServer(InputStream in) {
        try {
            while (in.read() != -1) {
                // The server may answer before it closes; read past it.
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
