/**
 * The server bodies of the HTTP examples page of ESP-AT v2.4.2.0
 * (docs/en/AT_Command_Examples/http_at_examples.rst), split as the module printed them: each array
 * holds the `+HTTPCLIENT:`/`+HTTPCPOST:` pieces in order. httpbin.org answered with a 230-byte head
 * (231 with a four-digit Content-Length) each time, so the first 512-byte read held 282 body bytes.
 */
export const HTTP_EXAMPLE_PIECES = {
  POST_FORM: [
    "{\n  \"args\": {}, \n  \"data\": \"{\\\"form\\\":{\\\"purpose\\\":\\\"test\\\"}}\", \n  \"files\": {}, \n  \"form\": {}, \n  \"headers\": {\n    \"Content-Length\": \"27\", \n    \"Content-Type\": \"application/json\", \n    \"Host\": \"httpbin.org\", \n    \"User-Agent\": \"ESP32 HTTP Client/1.0\", \n    \"X-Amzn-Trace-Id\": \"Root=",
    "1-61503a3f-4b16b71918855b97614c5dfb\"\n  }, \n  \"json\": {\n    \"form\": {\n      \"purpose\": \"test\"\n    }\n  }, \n  \"origin\": \"20.187.154.207\", \n  \"url\": \"http://httpbin.org/post\"\n}\n",
  ],
  HTTPCPOST: [
    "{\n  \"args\": {}, \n  \"data\": \"{\\\"headers\\\": {\\\"Accept\\\": \\\"application/json\\\",\\\"Accept-Encoding\\\": \\\"gzip, deflate\\\",\\\"Accept-Language\\\": \\\"en-US,en;q=0.9,zh-CN;q=0.8,zh;q=0.7\\\",\\\"Content-Length\\\": \\\"0\\\",\\\"Host\\\": \\\"httpbin.org\\\",\\\"Origin\\\": \\\"http://httpbin.org\\\",\\\"Referer\\\": \\\"htt",
    "p://httpbin.org/\\\",\\\"User-Agent\\\": \\\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0.4472.114 Safari/537.36\\\",\\\"X-Amzn-Trace-Id\\\": \\\"Root=1-6150581e-1ad4bd5254b4bf5218070413\\\"}}\", \n  \"files\": {}, \n  \"form\": {}, \n  \"headers\": {\n    \"Content-Length\": \"427\", \n    \"Content-Type\": \"application/json\", \n    \"Host\": \"httpbin.org\", \n    \"User-Agent\": \"ESP32 HTTP Client/1.0\", \n    \"X-Amzn-Trace-Id\": \"Root=1-61505e76-278b5c267aaf55842bd58b32\"\n  }, \n  \"json\": {\n    \"headers\": {\n      ",
    "\"Accept\": \"application/json\", \n      \"Accept-Encoding\": \"gzip, deflate\", \n      \"Accept-Language\": \"en-US,en;q=0.9,zh-CN;q=0.8,zh;q=0.7\", \n      \"Content-Length\": \"0\", \n      \"Host\": \"httpbin.org\", \n      \"Origin\": \"http://httpbin.org\", \n      \"Referer\": \"http://httpbin.org/\", \n      \"User-Agent\": \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0.4472.114 Safari/537.36\", \n      \"X-Amzn-Trace-Id\": \"Root=1-6150581e-1ad4bd5254b4bf5218070413\"\n    }\n  }, \n  \"origin\": \"20.187.154",
    ".207\", \n  \"url\": \"http://httpbin.org/post\"\n}\n",
  ],
  PUT: [
    "{\n  \"args\": {\n    \"user\": \"foo\"\n  }, \n  \"data\": \"\", \n  \"files\": {}, \n  \"form\": {}, \n  \"headers\": {\n    \"Content-Length\": \"0\", \n    \"Content-Type\": \"application/x-www-form-urlencoded\", \n    \"Host\": \"httpbin.org\", \n    \"User-Agent\": \"ESP32 HTTP Client/1.0\", \n    \"X-Amzn-Trace-Id\": \"R",
    "oot=1-61503d41-1dd8cbe0056190f721ab1912\"\n  }, \n  \"json\": null, \n  \"origin\": \"20.187.154.207\", \n  \"url\": \"http://httpbin.org/put?user=foo\"\n}\n",
  ],
  DELETE: [
    "{\n  \"args\": {}, \n  \"data\": \"\", \n  \"files\": {}, \n  \"form\": {}, \n  \"headers\": {\n    \"Content-Length\": \"0\", \n    \"Content-Type\": \"application/x-www-form-urlencoded\", \n    \"Host\": \"httpbin.org\", \n    \"User-Agent\": \"ESP32 HTTP Client/1.0\", \n    \"X-Amzn-Trace-Id\": \"Root=1-61504289-468a41",
    "737b0d251672acec9d\"\n  }, \n  \"json\": null, \n  \"origin\": \"20.187.154.207\", \n  \"url\": \"https://httpbin.org/delete\"\n}\n",
  ],
} as const;

/** The 427 bytes the AT+HTTPCPOST example sends after the prompt. */
export const HTTPCPOST_EXAMPLE_DATA =
  "{\"headers\": {\"Accept\": \"application/json\",\"Accept-Encoding\": \"gzip, deflate\",\"Accept-Language\": \"en-US,en;q=0.9,zh-CN;q=0.8,zh;q=0.7\",\"Content-Length\": \"0\",\"Host\": \"httpbin.org\",\"Origin\": \"http://httpbin.org\",\"Referer\": \"http://httpbin.org/\",\"User-Agent\": \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0.4472.114 Safari/537.36\",\"X-Amzn-Trace-Id\": \"Root=1-6150581e-1ad4bd5254b4bf5218070413\"}}";
