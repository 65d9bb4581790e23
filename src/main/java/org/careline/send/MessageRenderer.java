package org.careline.send;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.config.SiteDirectory;
import org.careline.config.TemplateCatalog;
import org.careline.model.DueMessage;
import org.careline.model.MessageContext;
import org.careline.model.Site;
import org.careline.model.TemplateSpec;
import org.careline.results.PortalLink;

/** Turns a loaded message into the Cloud API request for its kind: a template, a text or a location pin. */
final class MessageRenderer {

    private final SiteDirectory sites;
    private final TemplateCatalog templates;
    private final PortalLink portalLinks;
    private final TemplateRenderer renderer = new TemplateRenderer();
    private final ReplyRenderer replies = new ReplyRenderer();

    MessageRenderer(SiteDirectory sites, TemplateCatalog templates, PortalLink portalLinks) {
        this.sites = sites;
        this.templates = templates;
        this.portalLinks = portalLinks;
    }

    /**
     * @param document the uploaded PDF of a DOCUMENT_ATTACHED notice, else null
     * @throws IllegalArgumentException for data no send can fix (e.g. a stored number that is not E.164)
     */
    ObjectNode render(DueMessage m, TemplateRenderer.DocumentHeader document) {
        if (m.context() instanceof MessageContext.Reply reply) {
            return replies.render(m.phone(), m.kind(), reply);
        }
        Site site = sites.site(m.siteCode());
        String provider = m.context() instanceof MessageContext.Appointment a ? a.provider() : null;
        TemplateSpec spec = templates.template(m.kind(), provider);
        MessageLanguage language = MessageLanguage.choose(spec, m.language(), site.language(), site.country());
        var variables = m.context() instanceof MessageContext.Notice notice
                ? TemplateVariables.of(notice, site, notice.portalReference() == null ? null
                        : portalLinks.link(notice.portalReference(), notice.portalExpiresAt()))
                : TemplateVariables.of((MessageContext.Appointment) m.context(), site,
                        templates.formats(language.locale()));
        return renderer.render(spec, m.phone(), language.language(), variables, document);
    }
}
