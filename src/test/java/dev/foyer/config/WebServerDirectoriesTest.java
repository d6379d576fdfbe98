package dev.foyer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;

@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class WebServerDirectoriesTest extends FoyerIntegrationTest {

	@Autowired
	ServletWebServerApplicationContext context;

	@Autowired
	FoyerProperties properties;

	@Test
	void tomcatWorksInTheDataDirectoryNotInANewTemporaryOne() throws Exception {
		Path tomcat = this.properties.dataDir().resolve("tomcat").toRealPath();
		var server = ((TomcatWebServer) this.context.getWebServer()).getTomcat();
		assertThat(Path.of(server.getServer().getCatalinaBase().getPath()).toRealPath()).isEqualTo(tomcat);
		Container[] contexts = server.getHost().findChildren();
		assertThat(contexts).hasSize(1);
		assertThat(Path.of(((Context) contexts[0]).getDocBase()).toRealPath()).isEqualTo(tomcat.resolve("docbase"));
		assertThat(Files.isDirectory(tomcat.resolve("work"))).isTrue();
		// Tomcat would serve a file there (Spring MVC maps the document root), so Foyer never writes any
		try (var files = Files.list(tomcat.resolve("docbase"))) {
			assertThat(files).isEmpty();
		}
	}

}
