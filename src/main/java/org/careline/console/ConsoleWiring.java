package org.careline.console;

import org.apache.camel.http.base.HttpHeaderFilterStrategy;
import org.apache.camel.main.Main;

/** The console's part of the engine: the bean routes/console.yaml serves the pages with, and its header filter. */
public final class ConsoleWiring {

    private ConsoleWiring() {
    }

    public static void bind(Main main) {
        main.bind("consoleFiles", ConsoleFiles.fromClasspath());
        main.bind("consoleHeaders", headerFilter());
    }

    /**
     * platform-http's usual filter, but letting Cache-Control out: Camel drops it from answers by default, and
     * the console's page must say no-store (a page cached after an upgrade would run old code against the new API).
     */
    static HttpHeaderFilterStrategy headerFilter() {
        HttpHeaderFilterStrategy filter = new HttpHeaderFilterStrategy();
        filter.getOutFilter().remove("cache-control");
        return filter;
    }
}
