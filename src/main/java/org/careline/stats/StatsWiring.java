package org.careline.stats;

import org.apache.camel.main.Main;
import org.careline.config.SettingValues;
import org.careline.config.SettingsCatalog;
import org.careline.config.SiteDirectory;
import org.careline.results.PortalLink;
import org.careline.store.Database;
import org.careline.store.StatsRollups;

import java.time.Clock;
import java.time.Duration;

/**
 * Builds the figures' parts once: the roll-up round (bean {@code statsRollup}, routes/stats.yaml) and the service
 * (bean {@code statsService}, for the monthly report).
 */
public final class StatsWiring {

    /** What the API and the monthly report are handed. */
    public record Stats(StatsService service, PortalOpens portalOpens, RollupFolder folder) {
    }

    private StatsWiring() {
    }

    public static Stats bind(Main main, Database db, SettingValues settings, SiteDirectory sites, PortalLink links,
                             Clock clock) {
        StatsRollups rollups = new StatsRollups();
        RollupFolder folder = folder(db, rollups, settings, sites, clock);
        main.bind("statsRollup", folder);
        StatsService service = new StatsService(db, rollups, folder, sites, clock);
        // The monthly report (and anything else that prints figures) finds the service in the registry.
        main.bind("statsService", service);
        return new Stats(service, new PortalOpens(db, rollups, links), folder);
    }

    /**
     * The service alone, for a command run while the engine is stopped (careline report): one round of the
     * roll-ups first, since no timer has folded what the engine logged last or counted its no-shows again.
     */
    public static StatsService offline(Database db, SettingValues settings, SiteDirectory sites, Clock clock) {
        StatsRollups rollups = new StatsRollups();
        RollupFolder folder = folder(db, rollups, settings, sites, clock);
        folder.run();
        return new StatsService(db, rollups, folder, sites, clock);
    }

    private static RollupFolder folder(Database db, StatsRollups rollups, SettingValues settings, SiteDirectory sites,
                                       Clock clock) {
        return new RollupFolder(db, rollups, code -> sites.site(code.isEmpty() ? null : code).zone(), clock,
                Duration.ofMillis(settings.get(SettingsCatalog.STATS_SETTLE_MS)),
                settings.get(SettingsCatalog.STATS_REOPEN_DAYS));
    }
}
