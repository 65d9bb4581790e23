package org.careline;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.careline.alerts.AlertWiring;
import org.careline.alerts.rules.AlertRulesWiring;
import org.careline.config.AlertRulesMapping;
import org.careline.metrics.EngineMetrics;
import org.careline.metrics.MetricsWiring;
import org.careline.config.FhirMapping;
import org.careline.config.NotificationRules;
import org.careline.config.MappingException;
import org.careline.config.OruMapping;
import org.careline.config.ResultsMapping;
import org.careline.config.Settings;
import org.careline.config.SiteDirectory;
import org.careline.config.SiuMapping;
import org.careline.config.ReplyRules;
import org.careline.config.TemplateCatalog;
import org.careline.config.TriageRules;
import org.careline.triage.TriageDesk;
import org.careline.alerts.AlertDesk;
import org.careline.api.ApiWiring;
import org.careline.audit.AuditWiring;
import org.careline.operations.OperationsWiring;
import org.careline.privacy.PrivacyWiring;
import org.careline.report.ReportWiring;
import org.careline.config.RetentionMapping;
import org.careline.model.RetentionRules;
import org.careline.triage.TriageWiring;
import org.careline.config.WritebackMapping;
import org.careline.console.ConsoleWiring;
import org.careline.consent.ConsentWiring;
import org.careline.conversation.ReplyHandler;
import org.careline.fhir.FhirClient;
import org.careline.health.HealthCheck;
import org.careline.ingest.fhir.FhirAppointmentMapper;
import org.careline.ingest.fhir.FhirIntake;
import org.careline.ingest.fhir.FhirReportMapper;
import org.careline.ingest.fhir.FhirSubscriptions;
import org.careline.ingest.fhir.FhirSync;
import org.careline.ingest.fhir.FhirConsentMapper;
import org.careline.ingest.fhir.NotificationParser;
import org.careline.stats.StatsWiring;
import org.careline.store.FhirSyncState;
import org.careline.store.FhirWorkQueue;
import org.careline.ingest.hl7.Acknowledger;
import org.careline.ingest.hl7.Hl7Receiver;
import org.careline.ingest.hl7.InboundCommit;
import org.careline.ingest.hl7.MdmIngest;
import org.careline.ingest.hl7.OruIngest;
import org.careline.ingest.hl7.OruMapper;
import org.careline.results.PortalLink;
import org.careline.results.ResultNotices;
import org.careline.model.ResultRules;
import org.careline.store.ResultStore;
import org.careline.store.RetryPolicy;
import org.careline.store.WritebackRequests;
import org.careline.ingest.hl7.SiuIngest;
import org.careline.ingest.hl7.SiuMapper;
import org.careline.edge.EdgeWiring;
import org.careline.ingest.whatsapp.InboundMessageSink;
import org.careline.ingest.whatsapp.WebhookIntake;
import org.careline.ingest.whatsapp.WebhookProcessor;
import org.careline.ingest.whatsapp.WebhookSignature;
import org.careline.schedule.AppointmentScheduler;
import org.careline.model.MessageKind;
import org.careline.send.CloudApiClient;
import org.careline.send.DeliveryStatuses;
import org.careline.send.Dispatcher;
import org.careline.send.SendFailures;
import org.careline.send.SendingPause;
import org.careline.send.SandboxCloudApi;
import org.careline.send.SendRateCap;
import org.careline.store.AlertLog;
import org.careline.store.AppointmentStore;
import org.careline.store.ConversationStore;
import org.careline.store.Database;
import org.careline.store.InboundLog;
import org.careline.store.InboundReplies;
import org.careline.store.MessageStatusLog;
import org.careline.store.Outbox;
import org.careline.store.WebhookDeliveries;
import org.careline.store.crypto.FieldCipher;
import org.careline.keys.KeyWiring;
import org.careline.fhir.FhirClient;
import org.careline.writeback.FhirSchedulingWriter;
import org.careline.writeback.FhirWritebackBuilder;
import org.careline.writeback.SchedulingLink;
import org.careline.writeback.SrmBuilder;
import org.careline.writeback.WritebackSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One running Careline: the database, the mappings, the beans the routes call, and Camel Main loading the YAML
 * routes from the routes directory. Mappings are read and checked before anything listens.
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final Main main;
    private final Database db;
    private final Dispatcher dispatcher;

    private Engine(Main main, Database db, Dispatcher dispatcher) {
        this.main = main;
        this.db = db;
        this.dispatcher = dispatcher;
    }

    /** Builds and starts an engine; returns once every route has started. */
    public static Engine start(Settings settings, Clock clock) throws Exception {
        Engine engine = create(settings, clock);
        engine.main.start();
        return engine;
    }

    /** Builds an engine and runs it until the JVM is asked to stop. */
    public static void run(Settings settings) throws Exception {
        Engine engine = create(settings, Clock.systemUTC());
        try {
            engine.main.run();
        } finally {
            engine.closeResources();
        }
    }

    private static Engine create(Settings s, Clock clock) throws Exception {
        // Vert.x only logs a failed bind of the HTTP port and the engine would run without /health or webhooks;
        // camel-mllp retries its bind for 30 s. Say at once, in one line, which port is taken.
        requireFreePort(s.bindAddress(), s.httpPort(), "CARELINE_HTTP_PORT");
        requireFreePort(s.bindAddress(), s.mllpPort(), "CARELINE_MLLP_PORT");
        if (!Files.isDirectory(s.routesDir())) {
            throw new IllegalStateException("routes directory not found: " + s.routesDir().toAbsolutePath()
                    + " (set CARELINE_ROUTES_DIR)");
        }
        SiuMapping siu = SiuMapping.load(s.mappingsDir());
        SiteDirectory sites = SiteDirectory.load(s.mappingsDir(), s.zone(), s.phoneRegion());
        org.careline.config.DemoGuard.refusal(s.whatsappAccessToken() != null, s.whatsappApiBase(), sites.demoSites(),
                s.mappingsDir().resolve("sites.yaml")).ifPresent(why -> {
                    throw new IllegalStateException(why);
                });
        TemplateCatalog templates = TemplateCatalog.load(s.mappingsDir());
        ReplyRules replies = ReplyRules.load(s.mappingsDir());
        SrmBuilder srmBuilder = new SrmBuilder(WritebackMapping.load(s.mappingsDir()));
        OruMapping oru = OruMapping.load(s.mappingsDir());
        ResultRules resultRules = ResultsMapping.load(s.mappingsDir());
        FhirMapping fhirMapping = FhirMapping.load(s.mappingsDir());
        NotificationRules notifications = NotificationRules.load(s.mappingsDir(), s::environment,
                code -> sites.byCode(code).isPresent());
        requireDocumentTemplate(s.mappingsDir(), resultRules, templates);
        ConsentWiring.requireOptInTemplate(s.mappingsDir(), sites, templates);
        TriageRules triageRules = TriageWiring.load(s.mappingsDir(), replies, sites, templates);
        RetentionRules retention = RetentionMapping.load(s.mappingsDir());
        AlertRulesMapping alertRules = AlertRulesMapping.load(s.mappingsDir(), code -> sites.byCode(code).isPresent(),
                notifications.channels().keySet(), triageRules.queues()::containsKey);
        LOG.info("starting Careline: {}", s);

        Main main = new Main();
        Database db = Database.open(s.database());
        FieldCipher cipher = KeyWiring.bind(main, s, db, clock);
        InboundLog inbound = new InboundLog(cipher);
        Outbox outbox = new Outbox(cipher);
        AlertLog alerts = AlertWiring.alertLog(notifications, s);
        SiuMapper mapper = new SiuMapper(siu, sites);
        AppointmentScheduler scheduler = new AppointmentScheduler(new AppointmentStore(cipher), outbox, sites);
        TreeSet<String> accepted = siu.triggers().keySet().stream().map(t -> "SIU^" + t)
                .collect(Collectors.toCollection(TreeSet::new));
        OruMapper oruMapper = new OruMapper(oru, sites);
        oru.triggers().forEach(t -> accepted.add("ORU^" + t));
        oru.documents().triggers().forEach(t -> accepted.add("MDM^" + t));
        ResultNotices resultNotices = new ResultNotices(new AppointmentStore(cipher), new ResultStore(), outbox, sites,
                resultRules);
        String portalSecret = s.portalLinkSecret();
        if (portalSecret == null) {
            portalSecret = PortalLink.randomSecret();
            LOG.warn("CARELINE_PORTAL_LINK_SECRET is not set: portal links in result notices are signed with a random "
                    + "secret made at start; the portal cannot verify them, and they stop verifying at restart");
        }
        PortalLink portalLinks = new PortalLink(s.portalUrl(), portalSecret);

        main.configure().withRoutesIncludePattern("file:" + s.routesDir().toAbsolutePath() + "/*.yaml");
        main.configure().withName("careline");
        main.addInitialProperty("camel.server.enabled", "true");
        // Ports, intervals, timeouts and the body limit the routes read as they are (SettingsCatalog names them);
        // the properties below are derived from settings.
        s.routeProperties().forEach(main::addInitialProperty);
        main.addInitialProperty("careline.mllp.receive-timeout-ms", String.valueOf(s.mllpReceiveTimeoutMillis()));
        main.addInitialProperty("careline.sandbox", String.valueOf(s.sandbox()));
        main.addInitialProperty("careline.whatsapp.messages-url", s.effectiveApiBase() + "/"
                + s.whatsappApiVersion() + "/" + s.whatsappPhoneNumberId() + "/messages");
        main.addInitialProperty("careline.whatsapp.media-url", s.effectiveApiBase() + "/"
                + s.whatsappApiVersion() + "/" + s.whatsappPhoneNumberId() + "/media");
        // The token goes into the route as a property filled from the environment, never from a file.
        main.addInitialProperty("careline.whatsapp.access-token", s.effectiveAccessToken());
        // The write-back timer runs when either way out is configured; the MLLP producer only with an address.
        main.addInitialProperty("careline.writeback.enabled", String.valueOf(s.writebackEnabled() || s.fhir().enabled()));
        main.addInitialProperty("careline.scheduling.enabled", String.valueOf(s.writebackEnabled()));
        // Unset: the routes stay stopped; the endpoint still needs a well-formed address (never connected to).
        main.addInitialProperty("careline.scheduling.host", s.writebackEnabled() ? s.schedulingHost() : "localhost");
        main.addInitialProperty("careline.scheduling.port", String.valueOf(s.writebackEnabled() ? s.schedulingPort() : 1));
        configureFhir(main, s.fhir());

        ConsentWiring.Consents consents = ConsentWiring.build(outbox, cipher);
        SendingPause pause = new SendingPause(db, alerts, clock);
        EngineMetrics metrics = MetricsWiring.bind(main, s, db, pause, clock);
        SendFailures sendFailures = new SendFailures(outbox, new RetryPolicy(Duration.ofMillis(s.retryBaseMillis()),
                Duration.ofMillis(s.retryMaxMillis()), s.maxSendAttempts(), 0.5), pause, alerts, metrics);
        Dispatcher dispatcher = new Dispatcher(db, outbox, sites, templates,
                new CloudApiClient(main::getCamelContext), new SendRateCap(s.sendRatePerSecond(), InstantSource.system()),
                clock, pause, sendFailures, s.sendParallelism(), Duration.ofMillis(s.sendLeaseMillis()), portalLinks,
                consents.store());

        EdgeWiring.bind(main, s);
        // camel-mllp must never write message content (PHI) to the log.
        main.addInitialProperty("camel.component.mllp.logPhi", "false");
        // logPhi does not reach the WARNs about bytes outside a frame, data after one or a frame cut short: they print
        // the bytes themselves (message content) up to logPhiMaxBytes. 1 is the least it takes (0 means all of them).
        main.addInitialProperty("camel.component.mllp.logPhiMaxBytes", "1");
        // HttpClient 5 by default re-sends a request answered 429 or 503 a second later, unseen by the dispatcher:
        // outside the send rate cap, uncounted as an attempt, and without our backoff. Retries are the outbox's job.
        main.addInitialProperty("camel.component.http.automaticRetriesDisabled", "true");
        main.addInitialProperty("camel.component.https.automaticRetriesDisabled", "true");
        main.bind("hl7Receiver", new Hl7Receiver());
        main.bind("acknowledger", new Acknowledger(db, inbound, clock, accepted, metrics));
        InboundCommit commit = new InboundCommit(db, inbound, clock);
        main.bind("siuIngest", new SiuIngest(commit, mapper, scheduler, dispatcher::nudge, consents.store(),
                consents.recorder()));
        main.bind("oruIngest", new OruIngest(commit, oruMapper, resultNotices, consents.recorder()));
        main.bind("mdmIngest", new MdmIngest(commit, oruMapper, resultNotices, consents.recorder()));
        main.bind("dispatcher", dispatcher);
        HealthCheck health = new HealthCheck(pause, main::getCamelContext);
        main.bind("health", health);
        main.bind("sandboxCloudApi", new SandboxCloudApi());
        FhirClient fhirClient = new FhirClient(main::getCamelContext, s.fhir().baseUrl());
        main.bind("writebackSender", new WritebackSender(db, new WritebackRequests(cipher), alerts,
                new WritebackSender.Channels(srmBuilder, new SchedulingLink(main::getCamelContext),
                        s.writebackEnabled(), new FhirWritebackBuilder(),
                        new FhirSchedulingWriter(fhirClient), s.fhir().enabled()),
                sites, clock, s.schedulingUnreachableAfter()));
        // Where patients' messages go once stored (the processor looks the bean up by name for every message).
        TriageWiring.Wired triage = TriageWiring.bind(main, s, db, triageRules, sites, templates, outbox, alerts,
                clock, dispatcher::nudge);
        main.bind("inboundMessageSink", AlertRulesWiring.countingWords(alertRules, new ReplyHandler(replies, sites,
                new ConversationStore(cipher), outbox, new WritebackRequests(cipher), triage.triage(), consents.store(),
                consents.recorder())));

        FhirWorkQueue fhirWork = new FhirWorkQueue();
        FhirSyncState fhirState = new FhirSyncState();
        NotificationParser fhirParser = new NotificationParser();
        main.bind("fhirIntake", new FhirIntake(db, fhirWork, fhirState, fhirParser, s.fhir(), clock, metrics));
        main.bind("fhirSync", new FhirSync(db, fhirWork, fhirState, fhirClient, fhirParser,
                new FhirAppointmentMapper(sites, fhirMapping), new FhirReportMapper(sites, fhirMapping), scheduler,
                new AppointmentStore(cipher),
                resultNotices, alerts, clock, dispatcher::nudge, new FhirConsentMapper(fhirMapping.consent()),
                consents));
        main.bind("fhirSubscriptions", new FhirSubscriptions(fhirClient, fhirMapping, s.fhir()));

        WebhookSignature signature = new WebhookSignature(s.whatsappAppSecret());
        if (!signature.configured()) {
            LOG.warn("WHATSAPP_APP_SECRET is not set: every webhook POST to /webhooks/whatsapp is answered 401, so "
                    + "no replies or delivery statuses from Meta are received");
        }
        WebhookDeliveries deliveries = new WebhookDeliveries(cipher);
        whenStarted(main, context -> WebhookIntake.answerTooLargeBodies(context, s.httpPort(), s.webhookMaxBytes()));
        main.bind("webhookIntake", new WebhookIntake(db, deliveries, signature, s.whatsappVerifyToken(),
                s.webhookMaxBytes(), clock, metrics));
        main.bind("webhookProcessor", new WebhookProcessor(db, deliveries, new InboundReplies(cipher),
                new DeliveryStatuses(outbox, new MessageStatusLog(), sendFailures),
                () -> main.getCamelContext().getRegistry().lookupByNameAndType("inboundMessageSink",
                        InboundMessageSink.class),
                clock));
        AlertDesk alertDesk = AlertWiring.bind(main, db, alerts, notifications, s, clock);
        AlertRulesWiring.bind(main, db, alertRules, alerts, notifications, s, sites, pause, clock);
        OperationsWiring.Operations operations = OperationsWiring.bind(main, db, dispatcher::nudge);
        StatsWiring.Stats stats = StatsWiring.bind(main, db, s.values(), sites, portalLinks, clock);
        ReportWiring.Reports reports = ReportWiring.bind(main, db, s, sites, notifications, alerts,
                stats.service()::month, clock);
        ApiWiring.bind(main, db, s.access(), clock, triage.desk(), alertDesk, operations, health,
                PrivacyWiring.bind(main, db, s, retention, clock), consents, reports, stats);
        ConsoleWiring.bind(main);
        AuditWiring.bind(main, db);
        closeWithCamel(main, dispatcher, db);
        return new Engine(main, db, dispatcher);
    }

    /**
     * Stops the senders, then the database, as the last step of Camel's own shutdown (after the routes, and so
     * after any dispatch round under way): a JVM stopped by SIGTERM runs Camel's shutdown hook to the end, but
     * not necessarily code after {@code main.run()}.
     */
    private static void closeWithCamel(Main main, Dispatcher dispatcher, Database db) {
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                try {
                    m.getCamelContext().addService(new org.apache.camel.support.service.ServiceSupport() {
                        @Override
                        protected void doStop() {
                            dispatcher.close();
                            db.close();
                        }
                    }, true, true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    /**
     * The fhir component's client, built from the environment (see {@link org.careline.fhir.FhirConnection}): the
     * routes in routes/fhir.yaml name only the operation. Without CARELINE_FHIR_BASE_URL the routes that call the
     * server stay stopped.
     */
    private static void configureFhir(Main main, org.careline.config.FhirSettings f) {
        main.addInitialProperty("careline.fhir.enabled", String.valueOf(f.enabled()));
        main.bind("carelineFhirClient", org.careline.fhir.FhirConnection.client(f));
        main.addInitialProperty("camel.component.fhir.client", "#carelineFhirClient");
        main.addInitialProperty("camel.component.fhir.serverUrl", f.enabled() ? f.baseUrl() : "http://localhost:1/fhir");
    }

    /** Documents whose PDF may be sent need the template with a document header (checked by validate too). */
    static void requireDocumentTemplate(java.nio.file.Path mappingsDir, ResultRules resultRules,
                                        TemplateCatalog templates) {
        if (!resultRules.documentAttachPdf().isEmpty() && templates.template(MessageKind.DOCUMENT_ATTACHED) == null) {
            throw MappingException.at(mappingsDir.resolve("results.yaml"), "documents.attachPdf",
                    "lists document types, but " + mappingsDir.resolve("templates.yaml")
                    + " has no 'templates.document_attached' (the template with the document header)");
        }
    }

    private static void requireFreePort(String address, int port, String variable) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName(address), port));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(variable + " " + port + " is already in use by another program");
        }
    }

    /** Runs {@code action} once the Camel context (and so the HTTP server) has fully started. */
    private static void whenStarted(Main main, java.util.function.Consumer<CamelContext> action) {
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                try {
                    m.getCamelContext().addStartupListener(new StartupListener() {
                        @Override
                        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                        }

                        @Override
                        public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                            action.accept(context);
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    public Database database() {
        return db;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** The staff's triage desk (also the bean {@value TriageWiring#DESK_BEAN}). */
    public TriageDesk triageDesk() {
        return main.getCamelContext().getRegistry().lookupByNameAndType(TriageWiring.DESK_BEAN, TriageDesk.class);
    }

    @Override
    public void close() throws Exception {
        try {
            main.stop();
        } finally {
            closeResources();
        }
    }

    private void closeResources() {
        dispatcher.close();
        db.close();
    }
}
