package org.careline.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;

import java.util.List;

/** The JSON bodies the API accepts; a body that does not read as one is a 400 naming what was expected. */
final class Bodies {

    record SignInBody(String username, String password) {
    }

    record NewUser(String username, String password, List<String> roles, List<String> sites) {
    }

    record NewToken(String username, String name) {
    }

    record PortalOpenBody(String token) {
    }

    record TextBody(String text) {
    }

    /** POST /patients/{id}/consent: granted, refused or withdrawn, and an optional note (a paper form's ref). */
    record ConsentBody(String value, String note) {
    }

    private Bodies() {
    }

    static <T> T read(ApiCall call, Class<T> type, String expected) {
        try {
            ObjectReader reader = StaffApi.JSON.readerFor(type)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            T value = call.body().length == 0 ? null : reader.readValue(call.body());
            if (value == null) {
                throw new ApiAnswer.Problem(400, "send a JSON object " + expected);
            }
            return value;
        } catch (java.io.IOException e) {
            throw new ApiAnswer.Problem(400, "send a JSON object " + expected);
        }
    }
}
