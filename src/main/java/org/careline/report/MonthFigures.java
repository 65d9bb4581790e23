package org.careline.report;

import org.careline.model.KpiFigures;

import java.time.YearMonth;

/**
 * Where the report's figures come from: the figures of one site over one calendar month in the site's time zone.
 * The engine binds the statistics service here (bean {@value #BEAN}); reports only read what it answers.
 */
@FunctionalInterface
public interface MonthFigures {

    /** The bean the report looks up at each use, so the service bound last (or a test's) is the one asked. */
    String BEAN = "monthFigures";

    KpiFigures month(String site, YearMonth month);
}
