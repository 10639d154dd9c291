queued_messages
CREATE TABLE `queued_messages` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `server_id` int(11) DEFAULT NULL,
  `message_id` int(11) DEFAULT NULL,
  `domain` varchar(255) DEFAULT NULL,
  `locked_by` varchar(255) DEFAULT NULL,
  `locked_at` datetime(6) DEFAULT NULL,
  `retry_after` datetime DEFAULT NULL,
  `created_at` datetime(6) DEFAULT NULL,
  `updated_at` datetime(6) DEFAULT NULL,
  `ip_address_id` int(11) DEFAULT NULL,
  `attempts` int(11) DEFAULT 0,
  `route_id` int(11) DEFAULT NULL,
  `manual` tinyint(1) DEFAULT 0,
  `batch_key` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `index_queued_messages_on_domain` (`domain`(8)),
  KEY `index_queued_messages_on_message_id` (`message_id`),
  KEY `index_queued_messages_on_server_id` (`server_id`)
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
