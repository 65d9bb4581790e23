package org.careline.model;

/** Why a monthly KPI report was made: the first-of-the-month run, or a person asking (API, console, CLI). */
public enum ReportTrigger {
    MONTHLY("monthly"), ON_DEMAND("on-demand");

    private final String dbValue;

    ReportTrigger(String dbValue) {
        this.dbValue = dbValue;
    }

    /** As kpi_report.trigger_kind and the API's JSON hold it. */
    public String dbValue() {
        return dbValue;
    }

    public static ReportTrigger fromDb(String value) {
        for (ReportTrigger t : values()) {
            if (t.dbValue.equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("not a report trigger: " + value);
    }
}
