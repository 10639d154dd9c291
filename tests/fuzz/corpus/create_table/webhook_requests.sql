webhook_requests
CREATE TABLE `webhook_requests` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `uuid` varchar(255) DEFAULT NULL,
  `event` varchar(255) DEFAULT NULL,
  `attempt` int(11) DEFAULT NULL,
  `timestamp` decimal(18,6) DEFAULT NULL,
  `status_code` int(1) DEFAULT NULL,
  `body` text DEFAULT NULL,
  `payload` text DEFAULT NULL,
  `will_retry` tinyint(4) DEFAULT NULL,
  `url` varchar(255) DEFAULT NULL,
  `webhook_id` int(11) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `on_uuid` (`uuid`(8)) USING BTREE,
  KEY `on_event` (`event`(8)) USING BTREE,
  KEY `on_timestamp` (`timestamp`) USING BTREE,
  KEY `on_webhook_id` (`webhook_id`) USING BTREE
) ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
