package httpfloor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Foyer's stack doing none of Foyer's work: Spring Boot's web server on virtual threads, Actuator (so the HTTP
 * server observation, as in Foyer), one Spring Security filter chain with Spring Security's observations off (as
 * Foyer turns them off), and a Spring MVC controller that reads the form's {@code grant_type} and the
 * {@code Authorization} header and answers the fixed body. Started with the properties HttpFloors gives it.
 */
@SpringBootApplication
@RestController
public class SpringFloor {

	private static byte[] answer;

	public static void main(String[] args) {
		int[] a = FixedAnswer.arguments(args);
		answer = FixedAnswer.of(a[1]);
		SpringApplication.run(SpringFloor.class, "--server.port=" + a[0], "--server.address=127.0.0.1",
				"--spring.threads.virtual.enabled=true", "--spring.main.banner-mode=off",
				"--spring.flyway.enabled=false", "--spring.datasource.url=jdbc:h2:mem:floor",
				"--logging.level.root=WARN",
				// Spring Authorization Server's starter is on the class path; its chain is not part of the floor.
				"--spring.autoconfigure.exclude=org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration,"
						+ "org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration");
	}

	@Bean
	SecurityFilterChain floorChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
			.csrf(csrf -> csrf.disable())
			.build();
	}

	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	@PostMapping("/**")
	ResponseEntity<byte[]> token(@RequestParam("grant_type") String grantType,
			@RequestHeader("Authorization") String authorization) {
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.header("Cache-Control", "no-store")
			.body(answer);
	}

}
