package org.careline.send;

import org.careline.model.DueMessage;
import org.careline.model.MessageContext;
import org.careline.store.Database;
import org.careline.store.ResultStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * The PDF of a DOCUMENT_ATTACHED notice, uploaded to the Cloud API once: the media id is kept on the attachment
 * row, so a retried send does not upload again.
 */
final class DocumentUpload {

    /** Logged under the dispatcher's name, as before this class was split from it: operators search for it. */
    private static final Logger LOG = LoggerFactory.getLogger("org.careline.send.Dispatcher");

    private final Database db;
    private final ResultStore results = new ResultStore();
    private final CloudApiClient client;
    private final SendingPause pause;
    private final SendRecorder recorder;
    private final Clock clock;

    DocumentUpload(Database db, CloudApiClient client, SendingPause pause, SendRecorder recorder, Clock clock) {
        this.db = db;
        this.client = client;
        this.pause = pause;
        this.recorder = recorder;
        this.clock = clock;
    }

    /**
     * The uploaded document as the template's header, uploading it first if need be. Null when it could not be had
     * now: the upload's failure was recorded like a failed send (retry, dead letter or pause), or the row was
     * dead-lettered.
     */
    TemplateRenderer.DocumentHeader header(DueMessage m) {
        Long noticeId = m.context() instanceof MessageContext.Notice n ? n.resultNoticeId() : null;
        Optional<ResultStore.Attachment> attachment = noticeId == null ? Optional.empty()
                : db.inTransaction(c -> results.attachment(c, noticeId));
        if (attachment.isEmpty()) {
            recorder.deadLetter(m, "could not render: the document's PDF is missing", "document PDF missing");
            return null;
        }
        ResultStore.Attachment a = attachment.get();
        if (a.mediaId() != null) {
            return new TemplateRenderer.DocumentHeader(a.mediaId(), a.filename());
        }
        if (pause.paused()) {
            recorder.release(m.id());
            return null;
        }
        CloudApiOutcome uploaded = client.uploadMedia(a.pdf(), a.filename(), a.contentType());
        if (uploaded instanceof CloudApiOutcome.Uploaded u) {
            db.inTransaction(c -> { results.setMediaId(c, a.id(), u.mediaId(), clock.instant()); return null; });
            LOG.info("outbox={} document PDF uploaded ({} bytes) media={}", m.id(), a.pdf().length, u.mediaId());
            return new TemplateRenderer.DocumentHeader(u.mediaId(), a.filename());
        }
        LOG.info("outbox={} document PDF upload failed", m.id());
        recorder.record(m, uploaded);
        return null;
    }
}
