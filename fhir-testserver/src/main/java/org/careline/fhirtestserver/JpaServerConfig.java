package org.careline.fhirtestserver;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.binary.api.IBinaryStorageSvc;
import ca.uhn.fhir.jpa.binstore.MemoryBinaryStorageSvcImpl;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.searchparam.submit.config.SearchParamSubmitterConfig;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import ca.uhn.fhir.jpa.util.LoggingEmailSender;
import jakarta.persistence.EntityManagerFactory;
import org.apache.commons.dbcp2.BasicDataSource;
import org.hl7.fhir.dstu2.model.Subscription.SubscriptionChannelType;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

import javax.sql.DataSource;
import java.util.Properties;

/**
 * Spring wiring of the JPA server: the same building blocks HAPI FHIR's own R4 JPA tests put together (JPA R4 config,
 * batch2, subscription submitter/processor/channel configs), with an in-memory H2 database, no full-text indexing,
 * and REST-hook as the one supported subscription channel type.
 */
@Configuration
@Import({
    JpaR4Config.class,
    HapiJpaConfig.class,
    JpaBatch2Config.class,
    Batch2JobsConfig.class,
    SubscriptionSubmitterConfig.class,
    SubscriptionProcessorConfig.class,
    SubscriptionChannelConfig.class,
    SearchParamSubmitterConfig.class,
    ThreadPoolFactoryConfig.class
})
public class JpaServerConfig {

    @Bean
    public JpaStorageSettings storageSettings() {
        JpaStorageSettings settings = new JpaStorageSettings();
        settings.setAllowMultipleDelete(true);
        settings.setExpungeEnabled(true);
        return settings;
    }

    @Bean
    public SubscriptionSettings subscriptionSettings() {
        SubscriptionSettings settings = new SubscriptionSettings();
        settings.addSupportedSubscriptionType(SubscriptionChannelType.RESTHOOK);
        // HAPI persists each resource change and a scheduled job hands the queued ones to the subscription matcher,
        // every 5 s by default: a delivery would take up to 5 s. Every 200 ms instead (one small H2 query each time).
        settings.setSubscriptionIntervalInMs(200);
        return settings;
    }

    @Bean
    public PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Bean(destroyMethod = "close")
    public BasicDataSource dataSource() {
        BasicDataSource ds = new BasicDataSource();
        ds.setDriver(new org.h2.Driver());
        // One private in-memory database per server process; kept until the process ends.
        ds.setUrl("jdbc:h2:mem:careline_fhir;DB_CLOSE_DELAY=-1");
        ds.setUsername("");
        ds.setPassword("");
        ds.setMaxTotal(20);
        ds.setMaxWait(java.time.Duration.ofSeconds(30));
        return ds;
    }

    @Bean
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(
            ConfigurableListableBeanFactory beanFactory, FhirContext fhirContext, JpaStorageSettings storageSettings,
            DataSource dataSource) {
        LocalContainerEntityManagerFactoryBean emf =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        emf.setPersistenceUnitName("PU_CarelineFhirTestServer");
        emf.setDataSource(dataSource);
        Properties p = new Properties();
        p.put("hibernate.dialect", HapiFhirH2Dialect.class.getName());
        p.put("hibernate.hbm2ddl.auto", "update");
        p.put("hibernate.format_sql", "false");
        p.put("hibernate.show_sql", "false");
        p.put("hibernate.search.enabled", "false");
        emf.setJpaProperties(p);
        return emf;
    }

    @Bean
    @Primary
    public JpaTransactionManager transactionManager(EntityManagerFactory emf) {
        JpaTransactionManager tm = new JpaTransactionManager();
        tm.setEntityManagerFactory(emf);
        return tm;
    }

    @Bean
    public IBinaryStorageSvc binaryStorage() {
        return new MemoryBinaryStorageSvcImpl();
    }

    @Bean
    public IEmailSender emailSender() {
        return new LoggingEmailSender();
    }
}
