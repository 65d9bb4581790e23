package org.careline.model;

/** Where the database is and how to sign in to it. The password is a secret: {@link #toString()} leaves it out. */
public record DatabaseSettings(String url, String user, String password) {
    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + "]";
    }
}
