package org.careline.fhirtestserver;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionLoader;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * HAPI loads active Subscriptions into its in-memory registry on a schedule (about once a minute). A test server has
 * to match a Subscription as soon as it is written, so every Subscription create/update/delete re-syncs the registry
 * (HAPI's SubscriptionLoader sync, the one HAPI's own tests call) right after its transaction commits. The sync runs on
 * a thread of its own: it writes too (it activates "requested" subscriptions), which cannot happen inside the
 * committed transaction's afterCommit. A client's HTTP request waits for it, so that by the time the client has the
 * response to its Subscription write, the subscription is active and registered; HAPI's internal writes (its own
 * activating listener, or the sync activating a subscription) only queue a sync and never block on one.
 */
@Interceptor
public final class SubscriptionCacheRefresher {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionCacheRefresher.class);

    private final SubscriptionLoader loader;
    private volatile Thread syncThread;
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "subscription-cache-refresher");
        t.setDaemon(true);
        syncThread = t;
        return t;
    });

    public SubscriptionCacheRefresher(SubscriptionLoader loader) {
        this.loader = loader;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        onWrite(resource, request);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource oldResource, IBaseResource newResource, RequestDetails request) {
        onWrite(newResource, request);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource, RequestDetails request) {
        onWrite(resource, request);
    }

    private void onWrite(IBaseResource resource, RequestDetails request) {
        if (resource == null || !"Subscription".equals(resource.fhirType())) {
            return;
        }
        // Only a client's own HTTP request waits for the sync; HAPI's internal writes (its activating listener on the
        // matching channel, or the sync itself activating a subscription) just queue one, never block on it.
        boolean wait = request instanceof ServletRequestDetails;
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    sync(wait);
                }
            });
        } else {
            sync(wait);
        }
    }

    private void sync(boolean wait) {
        Future<?> done = later.submit(this::syncNow);
        if (!wait || Thread.currentThread() == syncThread) {
            return;
        }
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("subscription registry sync did not finish", e);
        }
        // and once more a little later, for a status change written by HAPI's own activating listener meanwhile
        later.schedule(this::syncNow, 500, TimeUnit.MILLISECONDS);
    }

    void syncNow() {
        try {
            int n = loader.doSyncSubscriptionsForUnitTest();
            LOG.debug("subscription registry synced: {} active", n);
        } catch (RuntimeException e) {
            LOG.warn("subscription registry sync failed", e);
        }
    }

    void shutdown() {
        later.shutdownNow();
    }
}
