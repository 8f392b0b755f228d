package io.tenantbackup.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.net.URL;

/**
 * Requests to the management interface (health and metrics), which listens apart from the API on a random test
 * port: inject its root with {@code @TestHTTPResource(value = "/", management = true) URL management}.
 */
public final class ManagementInterface {

    private ManagementInterface() {
    }

    public static RequestSpecification given(URL management) {
        return RestAssured.given().baseUri("http://" + management.getHost()).port(management.getPort());
    }

    /** The whole text of /q/metrics in the format a scraper gets without an Accept header. */
    public static String metrics(URL management) {
        return given(management).get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
