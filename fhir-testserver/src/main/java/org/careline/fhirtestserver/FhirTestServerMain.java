package org.careline.fhirtestserver;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionLoader;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code java -jar fhir-testserver.jar PORT}: a HAPI FHIR JPA R4 server on in-memory H2 at
 * {@code http://localhost:PORT/fhir}, with REST-hook subscriptions. Prints {@code FHIR-TESTSERVER READY PORT} on
 * standard output once it answers requests; ends when standard input closes (its parent is gone) or on SIGTERM.
 */
public final class FhirTestServerMain {

    private FhirTestServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        long t0 = System.nanoTime();

        AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext(JpaServerConfig.class);
        FhirContext fhir = spring.getBean(FhirContext.class);

        SubscriptionCacheRefresher refresher = new SubscriptionCacheRefresher(spring.getBean(SubscriptionLoader.class));
        spring.getBean(IInterceptorService.class).registerInterceptor(refresher);

        RestfulServer rest = new RestfulServer(fhir);
        rest.registerProviders(spring.getBean(ResourceProviderFactory.class).createProviders());
        rest.registerProvider(spring.getBean(JpaSystemProvider.class));
        rest.setPagingProvider(spring.getBean(DatabaseBackedPagingProvider.class));
        rest.setDefaultResponseEncoding(EncodingEnum.JSON);
        // The JPA capability statement (as HAPI's JPA servers and tests use): search parameters come from the search
        // parameter registry, not from scanning every provider's method bindings per resource type, which takes
        // ~20 s for the 146 R4 resource types on a small machine.
        JpaCapabilityStatementProvider capabilities = new JpaCapabilityStatementProvider(rest,
                spring.getBean(IFhirSystemDao.class), spring.getBean(JpaStorageSettings.class),
                spring.getBean(ISearchParamRegistry.class), spring.getBean(IValidationSupport.class));
        capabilities.setIncludeResourceCounts(false);
        rest.setServerConformanceProvider(capabilities);

        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(rest), "/fhir/*");
        jetty.setHandler(context);
        jetty.start();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            refresher.shutdown();
            try {
                jetty.stop();
            } catch (Exception ignored) {
                // exiting anyway
            }
            spring.close();
        }, "fhir-testserver-shutdown"));

        awaitAnswering(port);
        System.err.printf("fhir-testserver: up in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        System.out.println("FHIR-TESTSERVER READY " + port);
        System.out.flush();

        // The parent holds our stdin open; when it closes (parent gone, or told to stop), so do we.
        Thread stdinWatch = new Thread(() -> {
            try (InputStream in = System.in) {
                byte[] buf = new byte[256];
                while (in.read(buf) >= 0) {
                    // discard
                }
            } catch (Exception ignored) {
                // treat as closed
            }
            System.exit(0);
        }, "stdin-watch");
        stdinWatch.setDaemon(true);
        stdinWatch.start();
        jetty.join();
    }

    /** GET /fhir/metadata until it is 200 (which also warms up the capability statement). */
    private static void awaitAnswering(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fhir/metadata"))
                .timeout(Duration.ofSeconds(30)).GET().build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("GET /fhir/metadata answered " + status);
                }
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
    }
}
