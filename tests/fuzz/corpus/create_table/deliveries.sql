deliveries
CREATE TABLE `deliveries` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `message_id` int(11) DEFAULT NULL,
  `status` varchar(255) DEFAULT NULL,
  `code` int(11) DEFAULT NULL,
  `output` varchar(512) DEFAULT NULL,
  `details` varchar(512) DEFAULT NULL,
  `sent_with_ssl` tinyint(1) DEFAULT 0,
  `log_id` varchar(100) DEFAULT NULL,
  `timestamp` decimal(18,6) DEFAULT NULL,
  `time` decimal(8,2) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `on_message_id` (`message_id`) USING BTREE
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
