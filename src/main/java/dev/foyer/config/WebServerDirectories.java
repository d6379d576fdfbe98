package dev.foyer.config;

import java.nio.file.Path;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat's base and document directories in the data directory ({@code tomcat/}, the same at every start).
 * Without them Spring Boot makes a {@code tomcat.*} and a {@code tomcat-docbase.*} folder in the system's temporary
 * directory at every start and leaves both behind, and a cleaner of old files there (systemd-tmpfiles) may remove
 * them under a server that has run for weeks.
 */
@Configuration(proxyBeanMethods = false)
class WebServerDirectories {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> tomcatInDataDirectory(FoyerProperties properties) {
		return factory -> {
			Path base = properties.dataDir().resolve("tomcat").toAbsolutePath();
			Path documents = base.resolve("docbase");
			DataDirectory.create(documents);
			factory.setBaseDirectory(base.toFile());
			factory.setDocumentRoot(documents.toFile());
		};
	}

}
