package org.careline.edge;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The options of the HTTP server that camel-platform-http-main starts. Camel 4.17 makes that server's
 * {@link HttpServerOptions} itself and offers neither an idle timeout nor client certificates (its SSL setup leaves
 * client authentication off). It does use a {@link Vertx} found in the registry, so the engine binds one whose
 * {@code createHttpServer(options)} adds ours to Camel's; every other call goes straight to a plain Vert.x.
 *
 * @param idleTimeoutMillis a connection on which nothing is read or written for this long is closed
 * @param tls               null: plain HTTP
 */
public record HttpServerTuning(int idleTimeoutMillis, TlsMaterial tls) {

    /** Adds the idle timeout and, when set, TLS (with client certificates required when there is a client CA). */
    public HttpServerOptions apply(HttpServerOptions camels) {
        HttpServerOptions options = new HttpServerOptions(camels);
        options.setIdleTimeout(idleTimeoutMillis);
        options.setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        if (tls != null) {
            options.setSsl(true);
            options.setKeyCertOptions(KeyCertOptions.wrap(tls.keyManagers()));
            if (tls.hasClientCa()) {
                options.setTrustOptions(TrustOptions.wrap(tls.clientCaTrust()));
                options.setClientAuth(ClientAuth.REQUIRED);
            }
        }
        return options;
    }

    /** {@code vertx}, with every HTTP server it creates made with {@link #apply}. */
    public Vertx wrap(Vertx vertx) {
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        for (Class<?> c = vertx.getClass(); c != null; c = c.getSuperclass()) {
            interfaces.addAll(java.util.List.of(c.getInterfaces()));
        }
        interfaces.add(Vertx.class);
        return (Vertx) Proxy.newProxyInstance(Vertx.class.getClassLoader(), interfaces.toArray(Class<?>[]::new),
                (proxy, method, args) -> invoke(vertx, method, args));
    }

    private Object invoke(Vertx vertx, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("createHttpServer") && args != null && args.length == 1
                && args[0] instanceof HttpServerOptions options) {
            args = new Object[] {apply(options)};
        }
        try {
            return method.invoke(vertx, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
