// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: an in-kernel nvmem consumer driven from debugfs, for the test
 * that unbinds its provider under it (seed 004). It looks the device up by
 * name (nvmem_device_find()), so no device link ties it to the provider:
 * as with fw_devlink=off, nothing unbinds it first. C because 7.3's Rust
 * has no nvmem consumer API.
 *
 * /sys/kernel/debug/drvlife_nvmem_consumer/:
 *   hold  write a device name: take a reference to that nvmem device (one
 *         at a time: EBUSY while one is held, ENODEV if there is none)
 *   read  read CONSUMER_READ bytes at offset 0 of the held device, in the
 *         reader's task: "ok" and the bytes in hex, or "error" and the
 *         errno; ENXIO if nothing is held
 *   put   write anything: drop the reference (ENXIO if nothing is held)
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nvmem-consumer.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#define CONSUMER_READ 4

static struct dentry *consumer_dir;
/* Serialises hold, read and put; held across a read, which may sleep long. */
static DEFINE_MUTEX(consumer_lock);
static struct nvmem_device *consumer_held;

static ssize_t hold_write(struct file *file, const char __user *ubuf, size_t len, loff_t *ppos)
{
	struct nvmem_device *nvmem;
	char name[64];
	ssize_t ret;

	ret = strncpy_from_user(name, ubuf, min(len, sizeof(name) - 1));
	if (ret < 0)
		return ret;
	name[ret] = '\0';
	strim(name);

	guard(mutex)(&consumer_lock);
	if (consumer_held)
		return -EBUSY;
	nvmem = nvmem_device_find(name, device_match_name);
	if (IS_ERR(nvmem))
		/* No such device is -EPROBE_DEFER, which user space cannot decode. */
		return PTR_ERR(nvmem) == -EPROBE_DEFER ? -ENODEV : PTR_ERR(nvmem);
	consumer_held = nvmem;
	return len;
}

static ssize_t read_read(struct file *file, char __user *ubuf, size_t len, loff_t *ppos)
{
	u8 bytes[CONSUMER_READ];
	char out[32];
	int n, rc;

	if (*ppos)
		return 0;
	scoped_guard(mutex, &consumer_lock) {
		if (!consumer_held)
			return -ENXIO;
		rc = nvmem_device_read(consumer_held, 0, sizeof(bytes), bytes);
	}
	if (rc < 0)
		n = scnprintf(out, sizeof(out), "error %d\n", rc);
	else
		n = scnprintf(out, sizeof(out), "ok %*phN\n", (int)sizeof(bytes), bytes);
	return simple_read_from_buffer(ubuf, len, ppos, out, n);
}

static ssize_t put_write(struct file *file, const char __user *ubuf, size_t len, loff_t *ppos)
{
	guard(mutex)(&consumer_lock);
	if (!consumer_held)
		return -ENXIO;
	nvmem_device_put(consumer_held);
	consumer_held = NULL;
	return len;
}

static const struct file_operations hold_fops = {
	.owner = THIS_MODULE,
	.write = hold_write,
};

static const struct file_operations read_fops = {
	.owner = THIS_MODULE,
	.read = read_read,
};

static const struct file_operations put_fops = {
	.owner = THIS_MODULE,
	.write = put_write,
};

static int __init consumer_init(void)
{
	consumer_dir = debugfs_create_dir("drvlife_nvmem_consumer", NULL);
	debugfs_create_file("hold", 0200, consumer_dir, NULL, &hold_fops);
	debugfs_create_file("read", 0400, consumer_dir, NULL, &read_fops);
	debugfs_create_file("put", 0200, consumer_dir, NULL, &put_fops);
	return 0;
}

static void __exit consumer_exit(void)
{
	debugfs_remove_recursive(consumer_dir);
	if (consumer_held)
		nvmem_device_put(consumer_held);
}

module_init(consumer_init);
module_exit(consumer_exit);
MODULE_DESCRIPTION("Test-only: an in-kernel nvmem consumer without a device link");
MODULE_LICENSE("GPL");
