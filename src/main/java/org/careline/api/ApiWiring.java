package org.careline.api;

import org.apache.camel.main.Main;
import org.careline.access.Authenticator;
import org.careline.access.PasswordHasher;
import org.careline.access.SignIn;
import org.careline.access.UserAdmin;
import org.careline.alerts.AlertDesk;
import org.careline.consent.ConsentWiring;
import org.careline.consent.StaffConsent;
import org.careline.health.HealthCheck;
import org.careline.model.AccessSettings;
import org.careline.operations.OperationsWiring;
import org.careline.privacy.PrivacyWiring;
import org.careline.report.ReportWiring;
import org.careline.stats.StatsWiring;
import org.careline.store.ApiTokens;
import org.careline.store.AuditLog;
import org.careline.store.Database;
import org.careline.store.FhirWorkQueue;
import org.careline.store.StaffSessions;
import org.careline.store.PatientSites;
import org.careline.store.StaffUsers;
import org.careline.triage.TriageDesk;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Builds /api/v1 (bean {@code staffApi}, routes/api.yaml) and makes the first admin when there is none. */
public final class ApiWiring {

    private ApiWiring() {
    }

    public static StaffApi bind(Main main, Database db, AccessSettings settings, Clock clock, TriageDesk triage,
                                AlertDesk alertDesk, OperationsWiring.Operations operations, HealthCheck health,
                                PrivacyWiring.Privacy privacy, ConsentWiring.Consents consents,
                                ReportWiring.Reports reports,
                                StatsWiring.Stats stats) {
        StaffUsers users = new StaffUsers();
        StaffSessions sessions = new StaffSessions();
        ApiTokens tokens = new ApiTokens();
        AuditLog audit = new AuditLog();
        PasswordHasher hasher = new PasswordHasher();
        UserAdmin admin = new UserAdmin(db, users, tokens, audit, hasher, clock);
        admin.firstAdmin(settings.adminPassword());
        List<Endpoint> endpoints = new ArrayList<>();
        endpoints.addAll(new AccessResource(new SignIn(db, users, sessions, audit, hasher, settings, clock), admin,
                settings, clock).endpoints());
        endpoints.addAll(new AuditResource(db, audit).endpoints());
        ApiAudit apiAudit = new ApiAudit(db, audit);
        endpoints.addAll(new TriageResource(triage, operations.timeline(), db, new PatientSites(), apiAudit)
                .endpoints());
        endpoints.addAll(new AlertsResource(alertDesk, apiAudit).endpoints());
        endpoints.addAll(new ConsentResource(db, consents.store(), new StaffConsent(db, consents.store(),
                consents.recorder()), new PatientSites(), apiAudit).endpoints());
        endpoints.addAll(new OperationsResource(operations.inbound(), operations.deadLetters(), db,
                new FhirWorkQueue(), apiAudit).endpoints());
        endpoints.addAll(new PatientsResource(privacy, apiAudit).endpoints());
        endpoints.addAll(new HealthResource(health).endpoints());
        endpoints.addAll(new ReportsResource(reports, apiAudit).endpoints());
        endpoints.addAll(new StatsResource(stats.service(), stats.portalOpens(), apiAudit).endpoints());
        endpoints.add(OpenApiResource.endpoint(endpoints));
        StaffApi api = new StaffApi(endpoints, new Authenticator(db, users, sessions, tokens, settings, clock), db,
                audit, clock);
        main.bind("staffApi", api);
        return api;
    }
}
