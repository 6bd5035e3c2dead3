package io.signstream.ingest.support;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;

/** Following an import job over REST until it ends. */
public final class ImportJobs {

    private ImportJobs() {
    }

    /** Polls {@code GET location} until the job is COMPLETED or FAILED; fails the test after 60 s. */
    public static JsonPath awaitFinished(String location) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            JsonPath job = given().when().get(location).then().statusCode(200).extract().jsonPath();
            String status = job.getString("status");
            if (status.equals("COMPLETED") || status.equals("FAILED")) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("import did not finish within 60 s: " + job.prettify());
            }
            Thread.sleep(100);
        }
    }
}
